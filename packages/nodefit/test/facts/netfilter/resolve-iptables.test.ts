import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { classifyIptablesEnd, resolveIptables } from '../../../src/facts/netfilter/resolve-iptables.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { debFixture, need, tempDir } from '../../helpers/fixtures.ts';

interface Alternative {
  link: string;
  name: string;
  path: string;
  priority: number;
}

/** The `--install LINK NAME PATH PRIORITY` lines of the package's own postinst, so the test wires what Debian wires. */
function postinstAlternatives(controlDir: string): Alternative[] {
  const text = fs.readFileSync(path.join(controlDir, 'postinst'), 'utf8').replace(/\\\n/g, ' ');
  return [...text.matchAll(/--install\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)/g)].map((m) => ({
    link: m[1]!,
    name: m[2]!,
    path: m[3]!,
    priority: Number(m[4]),
  }));
}

/** Unpacks the real iptables .deb and creates the links update-alternatives would: LINK → /etc/alternatives/NAME → PATH. */
function debianRoot(t: TestContext, choose: 'auto' | 'legacy'): string | undefined {
  const deb = debFixture('iptables');
  if (!need(t, deb !== null, 'iptables .deb')) return undefined;
  const root = tempDir(t);
  execFileSync('dpkg-deb', ['-x', deb!.path, root]);
  const control = tempDir(t);
  execFileSync('dpkg-deb', ['-e', deb!.path, control]);
  const alts = postinstAlternatives(control).filter((a) => a.name === 'iptables');
  assert.ok(alts.length >= 2, 'postinst installs both iptables alternatives');
  // auto mode picks the highest priority (iptables-nft, 20); `update-alternatives --set` picks one by hand
  const chosen = choose === 'auto' ? alts.reduce((a, b) => (b.priority > a.priority ? b : a)) : alts.find((a) => a.path.endsWith('-legacy'))!;
  fs.mkdirSync(path.join(root, 'etc/alternatives'), { recursive: true });
  fs.symlinkSync(`/etc/alternatives/${chosen.name}`, path.join(root, chosen.link));
  fs.symlinkSync(chosen.path, path.join(root, 'etc/alternatives', chosen.name));
  return root;
}

test('real Debian iptables package in auto mode: the chain ends at xtables-nft-multi, every hop recorded', (t) => {
  const root = debianRoot(t, 'auto');
  if (root === undefined) return;
  const r = resolveIptables(new RootFs(root));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.equal(r.binary.kind, 'nft');
  assert.deepEqual(
    r.binary.chain,
    ['/usr/sbin/iptables', '/etc/alternatives/iptables', '/usr/sbin/iptables-nft', '/usr/sbin/xtables-nft-multi'].map((p) => path.join(root, p)),
  );
});

test('real Debian iptables package switched to legacy: the chain ends at xtables-legacy-multi', (t) => {
  const root = debianRoot(t, 'legacy');
  if (root === undefined) return;
  const r = resolveIptables(new RootFs(root));
  assert.ok(r.ok);
  assert.equal(r.binary.kind, 'legacy');
  assert.equal(r.binary.chain.at(-1), path.join(root, '/usr/sbin/xtables-legacy-multi'));
  assert.equal(r.binary.chain.length, 4);
});

test("this machine's own iptables: the chain agrees with ls -l and readlink -f", (t) => {
  if (!fs.existsSync('/usr/sbin/iptables')) {
    t.skip('iptables is not installed on this machine');
    return;
  }
  const r = resolveIptables(new RootFs('/'));
  assert.ok(r.ok);
  assert.equal(r.binary.chain.at(-1), fs.realpathSync('/usr/sbin/iptables'));
  // every hop is the previous one's link target
  for (let i = 0; i + 1 < r.binary.chain.length; i++) {
    const hop: string = r.binary.chain[i]!;
    const target = fs.readlinkSync(hop);
    assert.equal(path.resolve(path.dirname(hop), target), r.binary.chain[i + 1]);
  }
  const expected = path.basename(fs.realpathSync('/usr/sbin/iptables'));
  assert.equal(r.binary.kind, expected === 'xtables-nft-multi' ? 'nft' : expected === 'xtables-legacy-multi' ? 'legacy' : r.binary.kind);
});

test('iptables-wrapper: by name through alternatives, and a mode-detecting script recognised by its text', (t) => {
  const root = debianRoot(t, 'auto');
  if (root === undefined) return;
  // hand-made: a shell wrapper in the style of kubernetes-sigs/iptables-wrappers v2 (no real package ships one)
  const script = [
    '#!/bin/sh',
    '# Detect whether the base system is using iptables-legacy or iptables-nft, then use the same mode.',
    'num_legacy_lines=$( (iptables-legacy-save || true) 2>/dev/null | grep -c "^-")',
    'num_nft_lines=$( (iptables-nft-save || true) 2>/dev/null | grep -c "^-")',
    'if [ "$num_legacy_lines" -ge "$num_nft_lines" ]; then mode=legacy; else mode=nft; fi',
    'exec "xtables-${mode}-multi" "$(basename "$0")" "$@"',
    '',
  ].join('\n');
  fs.mkdirSync(path.join(root, 'usr/local/sbin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'usr/local/sbin/iptables'), script, { mode: 0o755 });
  const viaScript = resolveIptables(new RootFs(root));
  assert.ok(viaScript.ok);
  assert.equal(viaScript.binary.kind, 'wrapper');
  assert.equal(viaScript.binary.path, path.join(root, '/usr/local/sbin/iptables'));
  fs.rmSync(path.join(root, 'usr/local/sbin/iptables'));
  fs.writeFileSync(path.join(root, 'usr/sbin/iptables-wrapper'), '\x7fELF go binary');
  fs.rmSync(path.join(root, 'etc/alternatives/iptables'));
  fs.symlinkSync('/usr/sbin/iptables-wrapper', path.join(root, 'etc/alternatives/iptables'));
  const viaName = resolveIptables(new RootFs(root));
  assert.ok(viaName.ok);
  assert.equal(viaName.binary.kind, 'wrapper');
});

test('symlink loops and dangling links give unknown with the reason, never a hang or a crash', (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'usr/sbin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'etc/alternatives'), { recursive: true });
  fs.symlinkSync('/etc/alternatives/iptables', path.join(root, 'usr/sbin/iptables'));
  fs.symlinkSync('/usr/sbin/iptables', path.join(root, 'etc/alternatives/iptables'));
  const loop = resolveIptables(new RootFs(root));
  assert.ok(!loop.ok);
  assert.match(loop.reason, /ELOOP/);
  // a directory loop on the way (/sbin → /sbin2 → /sbin)
  fs.symlinkSync('/sbin2', path.join(root, 'sbin'));
  fs.symlinkSync('/sbin', path.join(root, 'sbin2'));
  assert.equal(resolveIptables(new RootFs(root), ['/sbin/iptables']).ok, false);
  fs.rmSync(path.join(root, 'etc/alternatives/iptables'));
  fs.symlinkSync('/usr/sbin/iptables-nft', path.join(root, 'etc/alternatives/iptables'));
  const dangling = resolveIptables(new RootFs(root));
  assert.ok(!dangling.ok);
  assert.match(dangling.reason, /dangling link/);
  const none = resolveIptables(new MemoryFs('empty'));
  assert.ok(!none.ok);
  assert.match(none.reason, /no iptables binary/);
});

test('any symlink graph resolves to a file, or gives a reason; never throws (property)', () => {
  const names = ['/usr/sbin/iptables', '/etc/alternatives/iptables', '/usr/sbin/iptables-nft', '/usr/sbin/xtables-nft-multi', '/sbin', '/usr/sbin/x'];
  const node = fc.oneof(
    fc.constant<{ kind: 'file' }>({ kind: 'file' }),
    fc.constant<{ kind: 'absent' }>({ kind: 'absent' }),
    fc.record({ kind: fc.constant<'link'>('link'), target: fc.constantFrom(...names, 'iptables-nft', '../sbin/x', 'xtables-nft-multi', '/usr/sbin') }),
  );
  fc.assert(
    fc.property(fc.array(node, { minLength: names.length, maxLength: names.length }), (nodes) => {
      const m = new MemoryFs('prop');
      m.addDir('/usr/sbin');
      m.addDir('/etc/alternatives');
      nodes.forEach((n, i) => {
        const p = names[i]!;
        if (n.kind === 'file') m.addFile(p, Buffer.from('#!/bin/sh\nexec xtables-nft-multi "$@"\n'));
        else if (n.kind === 'link') m.addSymlink(p, n.target);
      });
      const r = resolveIptables(m, ['/usr/sbin/iptables', '/sbin/iptables']);
      if (r.ok) {
        assert.ok(r.binary.chain.length >= 1 && r.binary.chain.length <= 42);
        assert.equal(m.lstat(r.binary.chain.at(-1)!)?.kind, 'file');
      } else {
        assert.ok(r.reason.length > 0);
      }
    }),
  );
});

test('classification of the chain end', () => {
  assert.equal(classifyIptablesEnd('/usr/sbin/xtables-multi', undefined), 'legacy');
  assert.equal(classifyIptablesEnd('/sbin/iptables', '#!/bin/sh\nexec /sbin/xtables-legacy-multi iptables "$@"\n'), 'legacy');
  assert.equal(classifyIptablesEnd('/sbin/iptables', '\x7fELF'), 'unknown');
  assert.equal(classifyIptablesEnd('/sbin/iptables', '#!/bin/sh\necho hi\n'), 'unknown');
  fc.assert(fc.property(fc.string(), fc.string({ maxLength: 200 }), (p, c) => void classifyIptablesEnd(p, c)));
});
