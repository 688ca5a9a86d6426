import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseOsReleaseFields, renderOsReleaseFields } from '../../../src/facts/os/parse-os-release.ts';
import { parseOsRelease } from '../../../src/facts/os/parse-os-release-facts.ts';

// hand-made: the identifying lines of each distribution's /etc/os-release (values as the distributions ship them)
const SAMPLES: Array<[string, string, string]> = [
  ['bottlerocket', 'NAME=Bottlerocket\nID=bottlerocket\nVERSION_ID=1.20.0\nPRETTY_NAME="Bottlerocket OS 1.20.0 (aws-k8s-1.29)"\nVARIANT_ID=aws-k8s-1.29\nBUILD_ID=fa3ac7a0\n', 'bottlerocket'],
  ['talos', 'NAME="Talos"\nID=talos\nVERSION_ID=v1.7.0\nPRETTY_NAME="Talos (v1.7.0)"\n', 'talos'],
  ['flatcar', 'NAME="Flatcar Container Linux by Kinvolk"\nID=flatcar\nID_LIKE=coreos\nVERSION_ID=3815.2.2\n', 'flatcar'],
  ['fcos', 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=39\nVARIANT_ID=coreos\n', 'rhel'],
  ['rhcos', 'NAME="Red Hat Enterprise Linux CoreOS"\nID="rhcos"\nID_LIKE="rhel fedora"\n', 'rhel'],
  ['rocky', 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n', 'rhel'],
  ['alma', 'ID="almalinux"\nID_LIKE="rhel centos fedora"\n', 'rhel'],
  ['oracle', 'ID="ol"\nID_LIKE="fedora"\n', 'rhel'],
  ['amzn', 'NAME="Amazon Linux"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\n', 'amazonlinux'],
  ['amzn2', 'ID="amzn"\nID_LIKE="centos rhel fedora"\nVERSION_ID="2"\n', 'amazonlinux'],
  ['ubuntu', 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n', 'ubuntu'],
  ['mint', 'ID=linuxmint\nID_LIKE="ubuntu debian"\n', 'ubuntu'],
  ['debian', 'ID=debian\nVERSION_ID="12"\n', 'debian'],
  ['sles', 'ID="sles"\nID_LIKE="suse"\nVERSION_ID="15.5"\n', 'suse'],
  ['tumbleweed', 'ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', 'suse'],
  ['alpine', 'ID=alpine\nVERSION_ID=3.19.1\n', 'alpine'],
  ['arch', 'ID=arch\nBUILD_ID=rolling\n', 'arch'],
  ['cos', 'NAME="Container-Optimized OS"\nID=cos\nVERSION_ID=109\nBUILD_ID=17800.66.78\n', 'cos'],
  ['azure', 'ID=azurelinux\nVERSION_ID="3.0"\n', 'other'],
];

test('families: Bottlerocket, Talos, Flatcar, RHEL family, Amazon Linux, Ubuntu, Debian, SUSE, Alpine, Arch, COS', () => {
  for (const [label, text, family] of SAMPLES) {
    assert.equal(parseOsRelease(text)?.family, family, label);
  }
});

test('os-release fields: id_like split, quotes and escapes, variant and build ids, comments', () => {
  const r = parseOsRelease('# comment\nID="rhcos"\nID_LIKE="rhel fedora"\nPRETTY_NAME="Red Hat \\"CoreOS\\" 4.15"\nVERSION_ID=\'415.92\'\nVARIANT_ID=coreos\nBUILD_ID=x\nBAD LINE\n');
  assert.deepEqual(r, {
    id: 'rhcos',
    idLike: ['rhel', 'fedora'],
    prettyName: 'Red Hat "CoreOS" 4.15',
    versionId: '415.92',
    variantId: 'coreos',
    buildId: 'x',
    family: 'rhel',
  });
  assert.equal(parseOsRelease('NAME=x\n'), undefined, 'no ID');
  assert.equal(parseOsReleaseFields('ID="unterminated\n').ID, undefined);
});

test('os-release parser never throws, and rendered fields parse back the same (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      parseOsRelease(s);
    }),
  );
  const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/);
  const value = fc.string({ maxLength: 30 }).filter((v) => !/[\n\r]/.test(v));
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 10 }), (fields) => {
      assert.deepEqual(parseOsReleaseFields(renderOsReleaseFields(fields)), { ...fields });
    }),
  );
});
