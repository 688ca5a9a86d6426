import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { readSnapshotFile } from '../../src/targets/read-snapshot.ts';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { tempDir } from '../helpers/fixtures.ts';

test('scan --probe is refused for anything but the live host', async (t) => {
  const io = memoryIo();
  assert.equal(await runCli(['scan', '--probe', '--root', tempDir(t)], io), 2);
  assert.match(io.err, /live host only/);
});

test('scan --probe stores the probe results, and they override the static nft matrix', async (t) => {
  const file = path.join(tempDir(t), 'probed.json');
  const io = memoryIo();
  assert.equal(await runCli(['scan', '--probe', '-o', file], io), 0, io.err);
  const snap = readSnapshotFile(file);
  const nft = snap.facts.probes?.nftChains;
  assert.ok(nft !== undefined);
  if (process.getuid?.() !== 0) {
    assert.equal(nft.state, 'unknown');
    return;
  }
  assert.equal(nft.state, 'known', nft.state === 'unknown' ? nft.reason : '');
  const caps = deriveCapabilities(snap.facts);
  // route chains on postrouting: the kernel itself said no, and the capability says where that came from
  const cells = caps.nftChains.value === 'unknown' ? [] : caps.nftChains.value;
  const routePost = cells.find((c) => c.family === 'ip' && c.type === 'route' && c.hook === 'postrouting');
  assert.equal(routePost?.verdict, 'rejected');
  assert.match(caps.nftChains.reason, /probe/i);
});
