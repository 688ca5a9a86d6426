// Agreement: on the machine the tests run on, the static nft matrix (deriveCapabilities from kernel version + config)
// equals the matrix the running kernel gives in a fresh network namespace, cell by cell; a disagreement names the cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { compareNftMatrix } from '../../src/probes/compare.ts';
import { findTool } from '../../src/probes/exec.ts';
import { probeNftChains } from '../../src/probes/nft-matrix.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { need } from '../helpers/fixtures.ts';

test('static nft matrix equals the probed one in all 126 cells on this machine', async (t) => {
  if (!need(t, checkProbePrivileges().ok && findTool('nft') !== null && findTool('unshare') !== null, 'root (CAP_SYS_ADMIN) with nft and unshare')) return;
  const snap = await loadTarget({ base: { kind: 'live' } });
  const staticCap = deriveCapabilities(snap.facts).nftChains;
  assert.notEqual(staticCap.value, 'unknown', `static matrix unknown: ${staticCap.reason}`);
  // the probe's own 120 s limit is for users; a test asserts the matrix, not how fast a loaded CI machine gets there
  const probed = probeNftChains(undefined, 600_000);
  assert.equal(probed.state, 'known', probed.state === 'unknown' ? probed.reason : '');
  if (staticCap.value === 'unknown' || probed.state !== 'known') return;
  assert.equal(probed.value.length, 126);
  const diff = compareNftMatrix(staticCap.value, probed.value).map(
    (d) => `${d.cell}: probe ${d.probed}${d.probeError === undefined ? '' : ` (${d.probeError})`}, static ${d.static} (${d.staticReason})`,
  );
  assert.deepEqual(diff, [], `cells where the static matrix and the kernel disagree:\n${diff.join('\n')}`);
});

test('a disagreement names the cell and shows both sides', () => {
  const d = compareNftMatrix(
    [{ family: 'ip', type: 'route', hook: 'postrouting', verdict: 'accepted', reason: 'made up' }],
    [{ family: 'ip', type: 'route', hook: 'postrouting', accepted: false, error: 'Could not process rule: Operation not supported', origin: 'kernel' }],
  );
  assert.deepEqual(d, [{ cell: 'ip/route/postrouting', probed: 'rejected', static: 'accepted', staticReason: 'made up', probeError: 'Could not process rule: Operation not supported' }]);
});
