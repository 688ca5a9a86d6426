// binfmtClearsOnUnmount: mainline 6.7, the stable backports, and vendor kernels whose upstream base is hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveBinfmtClearsOnUnmount } from '../../src/capabilities/binfmt-clears-on-unmount.ts';
import { upstreamBase } from '../../src/capabilities/kernel-base.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const cases: { release: string; version?: string; header?: string; value: boolean | 'unknown'; why?: RegExp }[] = [
  { release: '6.7.0', value: true },
  { release: '6.18.44-fc-v595', value: true },
  { release: '6.6.47', value: false },
  { release: '6.6.48', value: true },
  { release: '6.1.106', value: false },
  { release: '6.1.107', value: true },
  { release: '5.15.165', value: false },
  { release: '5.15.166', value: true },
  { release: '5.10.224', value: false },
  { release: '5.10.225', value: true },
  { release: '5.4.283', value: true },
  { release: '4.19.320', value: false },
  { release: '4.19.321', value: true },
  { release: '6.5.13', value: false, why: /never received/ },
  { release: '4.14.336', value: false },
  { release: '3.10.108', value: false },
  { release: '6.12.117+deb12-amd64', value: true },
  // Debian ABI names hide the upstream version; /proc/version or the config header reveal it.
  { release: '6.1.0-27-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)', value: true, why: /upstream 6\.1\.115/ },
  { release: '6.1.0-21-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1 (2024-05-03)', value: false },
  { release: '6.1.0-27-amd64', header: '6.1.115', value: true, why: /config header/ },
  { release: '6.1.0-27-amd64', value: 'unknown', why: /Debian ABI/ },
  // Vendor kernels: unknown with the reason.
  { release: '5.14.0-503.15.1.el9_5', value: 'unknown', why: /RHEL-family/ },
  { release: '4.18.0-553.97.1.el8_10.x86_64', value: 'unknown', why: /RHEL-family/ },
  { release: '3.10.0-1160.119.1.0.5.el7', value: 'unknown', why: /RHEL-family/ },
  { release: '5.15.0-316.196.4.1.el9uek.x86_64', value: 'unknown', why: /Oracle UEK/ },
  { release: '5.15.0-25-generic', value: 'unknown', why: /Ubuntu/ },
  // amzn2023 carries its upstream stable base in the release.
  { release: '6.1.107-153.189.amzn2023', value: true },
  { release: '6.1.102-111.182.amzn2023', value: false },
];

for (const c of cases) {
  test(`binfmtClearsOnUnmount: ${c.release}${c.version !== undefined ? ' + /proc/version' : ''}${c.header !== undefined ? ' + config header' : ''}`, () => {
    let b = factsBuilder().withRelease(c.release);
    if (c.version !== undefined) b = b.withVersion(c.version);
    if (c.header !== undefined) b = b.withConfig({}, { headerVersion: c.header });
    const cap = deriveBinfmtClearsOnUnmount(b.build());
    assert.equal(cap.value, c.value, cap.reason);
    if (c.why !== undefined) assert.match(cap.reason, c.why);
  });
}

test('binfmtClearsOnUnmount: no release at all is unknown', () => {
  assert.equal(deriveBinfmtClearsOnUnmount(factsBuilder().build()).value, 'unknown');
});

test('upstreamBase refuses a Debian header from another series', () => {
  const b = upstreamBase(factsBuilder().withRelease('6.1.0-27-amd64').withConfig({}, { headerVersion: '6.12.9' }).build());
  assert.equal(b.known, false);
});
