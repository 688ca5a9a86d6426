// `nodefit iptables-mode`: one word on stdout (an entrypoint reads it), reasons only with --verbose, bad --root is exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { tempDir } from '../helpers/fixtures.ts';

test('a root without any iptables binaries gives the iptables-wrappers default, nft, and says why', async (t) => {
  const dir = tempDir(t);
  const io = memoryIo({}, dir);
  assert.equal(await runCli(['iptables-mode', '--root', dir, '--verbose'], io), 0);
  assert.equal(io.out, 'nft\n');
  assert.match(io.err, /no iptables in .*\/usr\/sbin or .*\/sbin/);
  assert.match(io.err, /nodefit: nft: no kubelet chains .* default nft/);
  const quiet = memoryIo({}, dir);
  await runCli(['iptables-mode', '--root', dir], quiet);
  assert.equal(quiet.out, 'nft\n');
  assert.match(quiet.err, /^nodefit: warning: could not read any iptables rules \(no iptables in .*\); using the default, nft\n$/);
});

test('--root that is missing or not a directory is a usage error', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'f'), '');
  const io = memoryIo({}, dir);
  assert.equal(await runCli(['iptables-mode', '--root', 'missing'], io), 2);
  assert.equal(io.err, 'nodefit: --root missing: no such directory\n');
  const io2 = memoryIo({}, dir);
  assert.equal(await runCli(['iptables-mode', '--root', 'f'], io2), 2);
  assert.equal(io2.err, 'nodefit: --root f: not a directory\n');
});
