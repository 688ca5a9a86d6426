import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseBinfmtEntry, parseBinfmtStatus } from '../../../src/facts/binfmt/parse-binfmt-entry.ts';
import { collectBinfmt } from '../../../src/facts/binfmt/collect.ts';
import { BinfmtFacts } from '../../../src/facts/binfmt/schema.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { tempDir } from '../../helpers/fixtures.ts';

/**
 * Real kernel-formatted entries without touching the host: since 6.7 every user namespace has its own binfmt_misc
 * instance, so inside `unshare -Urm` we mount a fresh one on a temp dir, register handlers there, copy the files
 * out and leave. On older kernels the mount fails (EPERM) and the test skips; the host's
 * /proc/sys/fs/binfmt_misc is never written. The magics match nothing real: an ELF magic would make every
 * program in that namespace run the dummy interpreter.
 */
const SCRIPT = String.raw`
set -e
T="$1"
mkdir "$T/mnt" "$T/out"
mount -t binfmt_misc binfmt_misc "$T/mnt"
reg() { printf '%s' "$1" > "$T/mnt/register"; }
reg ':nodefit-m:M::\x7fNFT\x02::/bin/true:POCF'
reg ':nodefit-mask:M:4:\x01\x02\x03:\xff\x0f\xff:/bin/false:'
reg ':nodefit-ext:E::nfx::/nonexistent/interp:P'
reg ':nodefit-oc:M:18:\x4e\x46:\xff\xff:/bin/true:OC'
echo 0 > "$T/mnt/nodefit-ext"
for f in "$T/mnt"/*; do n=\${f##*/}; [ "$n" = register ] || cat "$f" > "$T/out/$n"; done
umount "$T/mnt"
`.replace(/\\\$/g, '$');

function kernelEntries(t: TestContext): string | undefined {
  const dir = tempDir(t, 'nodefit-binfmt-');
  const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', SCRIPT, 'sh', dir], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) {
    const why = `unshare + binfmt_misc mount in a user namespace not permitted here (needs Linux >= 6.7): ${(r.stderr || String(r.error)).trim()}`;
    console.log(`# SKIP ${why}`);
    t.skip(why);
    return undefined;
  }
  return path.join(dir, 'out');
}

test('parses entries the kernel itself wrote (registered in a private user namespace)', (t) => {
  const out = kernelEntries(t);
  if (out === undefined) return;
  const read = (n: string) => fs.readFileSync(path.join(out, n), 'utf8');
  assert.equal(parseBinfmtStatus(read('status')), true);
  const m = parseBinfmtEntry('nodefit-m', read('nodefit-m'));
  assert.deepEqual(m, {
    ok: true,
    entry: { name: 'nodefit-m', enabled: true, interpreter: '/bin/true', flags: 'POCF', type: 'magic', offset: 0, magic: '7f4e465402' },
  });
  const mask = parseBinfmtEntry('nodefit-mask', read('nodefit-mask'));
  assert.ok(mask.ok);
  assert.equal(mask.entry.flags, '');
  assert.equal(mask.entry.offset, 4);
  assert.equal(mask.entry.magic, '010203');
  assert.equal(mask.entry.mask, 'ff0fff');
  const ext = parseBinfmtEntry('nodefit-ext', read('nodefit-ext'));
  assert.deepEqual(ext, {
    ok: true,
    entry: { name: 'nodefit-ext', enabled: false, interpreter: '/nonexistent/interp', flags: 'P', type: 'extension', offset: 0, extension: 'nfx' },
  });
  const oc = parseBinfmtEntry('nodefit-oc', read('nodefit-oc'));
  assert.ok(oc.ok);
  assert.equal(oc.entry.flags, 'OC');
  assert.equal(oc.entry.offset, 18);
});

test('the collector reads those kernel files through --root, with interpreter existence checked inside the root', (t) => {
  const out = kernelEntries(t);
  if (out === undefined) return;
  const root = tempDir(t);
  const mnt = path.join(root, 'proc/sys/fs/binfmt_misc');
  fs.mkdirSync(mnt, { recursive: true });
  for (const n of fs.readdirSync(out)) fs.copyFileSync(path.join(out, n), path.join(mnt, n));
  fs.mkdirSync(path.join(root, 'proc/1'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'proc/1/mountinfo'),
    // hand-made mount table naming the canonical mount point
    '22 27 0:21 / /proc rw - proc proc rw\n50 22 0:45 / /proc/sys/fs/binfmt_misc rw,relatime - binfmt_misc binfmt_misc rw\n',
  );
  fs.writeFileSync(path.join(root, 'proc/filesystems'), 'nodev\tsysfs\nnodev\tbinfmt_misc\n\text4\n');
  fs.mkdirSync(path.join(root, 'bin'));
  fs.writeFileSync(path.join(root, 'bin/true'), '');
  const f = collectBinfmt({ fs: new RootFs(root), release: undefined, offline: false });
  BinfmtFacts.parse(f);
  assert.deepEqual(f.mounts.state === 'known' && f.mounts.value, ['/proc/sys/fs/binfmt_misc']);
  assert.equal(f.supported.state === 'known' && f.supported.value, true);
  assert.equal(f.enabled.state === 'known' && f.enabled.value, true);
  assert.equal(f.entries.state, 'known');
  const byName = new Map((f.entries.state === 'known' ? f.entries.value : []).map((e) => [e.name, e]));
  assert.deepEqual([...byName.keys()].sort(), ['nodefit-ext', 'nodefit-m', 'nodefit-mask', 'nodefit-oc']);
  assert.equal(byName.get('nodefit-m')?.interpreterExists, true);
  assert.equal(byName.get('nodefit-mask')?.interpreterExists, false);
  assert.equal(byName.get('nodefit-ext')?.enabled, false);
});
