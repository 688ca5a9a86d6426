// node-feature-discovery features.d file: every line a valid label under nodefit.dev, verdicts per workload, capabilities.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NFD_MAX_FILE_BYTES, NFD_PREFIX, isValidLabelName, isValidLabelPrefix, isValidLabelValue, renderNfd } from '../../src/render/nfd.ts';
import { finding, report, sampleReport } from './report-builder.ts';
import { parseFeatures } from './validators.ts';

describe('nfd renderer', () => {
  it('labels the overall verdict, each workload and the capabilities', () => {
    const labels = parseFeatures(renderNfd(sampleReport()));
    const p = NFD_PREFIX;
    assert.equal(labels.get(`${p}/verdict`), 'fail');
    assert.equal(labels.get(`${p}/host`), 'unknown');
    assert.equal(labels.get(`${p}/workload.containerd`), 'fail');
    assert.equal(labels.get(`${p}/workload.calico`), 'warn');
    assert.equal(labels.get(`${p}/workload.cilium`), 'not-applicable');
    assert.equal(labels.get(`${p}/cap.iptables-legacy`), 'available');
    assert.equal(labels.get(`${p}/cap.module-compression`), 'xz');
    assert.equal(labels.get(`${p}/cap.binfmt-clears-on-unmount`), 'true');
    assert.equal(labels.get(`${p}/cgroup-v1-controllers.cpu`), 'true');
    assert.equal(labels.get(`${p}/kernel-release`), '6.12.117-deb12-amd64');
  });

  it('validates label rules like Kubernetes does', () => {
    assert.ok(isValidLabelName('a'.repeat(63)));
    assert.ok(!isValidLabelName('a'.repeat(64)));
    assert.ok(!isValidLabelName('-a'));
    assert.ok(!isValidLabelName('a b'));
    assert.ok(isValidLabelValue(''));
    assert.ok(isValidLabelPrefix('nodefit.dev'));
    assert.ok(!isValidLabelPrefix('Nodefit.dev'));
  });

  it('writes only valid labels, whatever workload ids and values a user profile brings (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 90 }), { maxLength: 8 }), fc.string({ maxLength: 100 }), (workloads, release) => {
        const r = report(
          workloads.map((w) => finding({ checkId: 'c', workload: w, outcome: 'fail' })),
          { kernelRelease: release, capabilities: { weird: { value: release, reason: '' } } },
        );
        const text = renderNfd(r);
        parseFeatures(text);
        assert.ok(Buffer.byteLength(text) <= NFD_MAX_FILE_BYTES);
      }),
      { numRuns: 200 },
    );
  });
});
