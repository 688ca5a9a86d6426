// binfmt_misc register strings: Debian's real QEMU lines pass the validator, and the kernel agrees with the validator
// (registration inside a throwaway user+mount namespace with its own binfmt_misc instance; the host's is never touched).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { binfmtDLineError, parseBinfmtRegister } from '../../src/fix/binfmt-register.ts';
import { debFixture, need, tempDir } from '../helpers/fixtures.ts';

/** Extracts qemu-user-static's /usr/lib/binfmt.d/*.conf lines (real register strings); null when it cannot. */
function qemuBinfmtLines(dir: string): Map<string, string> | null {
  const deb = debFixture('qemu-user-static');
  if (deb === null) return null;
  const r = spawnSync('dpkg-deb', ['-x', deb.path, dir], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const confDir = path.join(dir, 'usr/lib/binfmt.d');
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(confDir).sort()) {
    for (const line of fs.readFileSync(path.join(confDir, f), 'utf8').split('\n')) {
      if (line.trim() === '' || line.startsWith('#') || line.startsWith(';')) continue;
      out.set(f, line);
    }
  }
  return out;
}

/** Can this machine give us a private binfmt_misc instance (user namespaces, binfmt_misc per user namespace, 6.7+)? */
function canRegisterInNamespace(dir: string): boolean {
  const r = spawnSync('unshare', ['-Urm', 'sh', '-c', 'mount -t binfmt_misc binfmt_misc "$1" && test -e "$1/register"', 'sh', dir], {
    encoding: 'utf8',
  });
  return r.status === 0;
}

/**
 * Writes each line to the register file of a binfmt_misc mounted on `dir` inside a new user+mount namespace and
 * reports, per line, whether the kernel accepted it (the entry file appears). The namespace and its instance vanish
 * when the shell exits. Interpreter paths are replaced by /bin/true: flag F opens the interpreter at registration.
 */
function kernelVerdicts(dir: string, lines: readonly string[]): boolean[] {
  const script = [
    'mount -t binfmt_misc binfmt_misc "$1" || exit 90',
    'd="$1"; shift',
    'for line in "$@"; do',
    '  if printf "%s" "$line" > "$d/register" 2>/dev/null; then echo ok; else echo rejected; fi',
    'done',
  ].join('\n');
  const r = spawnSync('unshare', ['-Urm', 'sh', '-c', script, 'sh', dir, ...lines], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const verdicts = r.stdout.trim().split('\n');
  assert.equal(verdicts.length, lines.length);
  return verdicts.map((v) => v === 'ok');
}

function withInterpreter(line: string, interpreter: string): string {
  const del = line[0]!;
  const f = line.slice(1).split(del);
  f[5] = interpreter;
  return del + f.join(del);
}

describe('binfmt register strings', () => {
  it("accepts every register string Debian's qemu-user-static ships", (t) => {
    const lines = qemuBinfmtLines(tempDir(t));
    if (!need(t, lines !== null, 'the qemu-user-static .deb (and dpkg-deb)')) return;
    assert.ok(lines!.size >= 20, `only ${lines!.size} binfmt.d files`);
    for (const [file, line] of lines!) {
      assert.equal(binfmtDLineError(line), null, `${file}: ${line}`);
      const p = parseBinfmtRegister(line);
      assert.ok(p.ok && p.entry.type === 'M' && p.entry.flags.includes('F'), file);
    }
    const aarch64 = parseBinfmtRegister(lines!.get('qemu-aarch64.conf')!);
    assert.ok(aarch64.ok);
    assert.equal((aarch64.entry.magic as Uint8Array).length, 20);
    assert.equal(aarch64.entry.interpreter, '/usr/libexec/qemu-binfmt/aarch64-binfmt-P');
  });

  // hand-made: each breaks exactly one rule of fs/binfmt_misc.c create_entry()
  const invalid: readonly [string, string][] = [
    [':x:M::\\x7fELF\\x02:\\xff:/bin/true:', 'mask shorter than magic'],
    [':x:Q::\\x7fELFab::/bin/true:', 'unknown type'],
    [':..:M::\\x7fELFab::/bin/true:', 'name ".."'],
    [':a/b:M::\\x7fELFab::/bin/true:', 'slash in name'],
    [':x:M::\\x7gELFab::/bin/true:', 'bad hex escape'],
    [':x:M:-1:\\x7fELFab::/bin/true:', 'negative offset'],
    [':x:M:abc:\\x7fELFab::/bin/true:', 'non-decimal offset'],
    [':x:M::\\x7fELFab::/bin/true:Z', 'unknown flag'],
    [':x:M::\\x7fELFab:::', 'empty interpreter'],
    [':x:M::::/bin/true:', 'empty magic'],
    [':x:M::\\x7fELFab::/bin/true', 'six fields'],
    [':x:M::\\x7fELFab::/bin/true::', 'eight fields'],
    [':x:E::a/b::/bin/true:', 'slash in extension'],
    [`:x:M:100:${'\\x01'.repeat(200)}::/bin/true:`, 'offset + size past the buffer'],
    [':x:M:', 'too short'],
  ];
  const valid: readonly [string, string][] = [
    [':nodefit-e:E::nfx::/bin/true:', 'extension'],
    [':nodefit-m:M:4:\\x01\\x02\\x03\\x04nodefit::/bin/true:P', 'offset and magic, no mask'],
    ['|nodefit-d|M||\\x3a\\x7c\\x00\\x01|\\xff\\xff\\xff\\xff|/bin/true|F', 'other delimiter, escaped delimiter bytes'],
    [':nodefit-n:M::\\x00\\xfe\\xca::/bin/true:OC\n', 'trailing newline, O and C'],
  ];

  it('rejects strings that break one kernel rule, with a reason', () => {
    for (const [line, why] of invalid) {
      const p = parseBinfmtRegister(line);
      assert.ok(!p.ok, `${why}: ${line}`);
    }
    for (const [line, why] of valid) assert.ok(parseBinfmtRegister(line).ok, why);
    assert.match(binfmtDLineError('#x#M##\\x7fELFab##/bin/true#')!, /comment/);
  });

  it('agrees with the running kernel, inside a private binfmt_misc instance', (t) => {
    const dir = tempDir(t, 'nodefit-binfmt-');
    if (!canRegisterInNamespace(dir)) {
      // the check runs only where the kernel gives each user namespace its own binfmt_misc (6.7+) and unshare works
      t.skip('unshare -Urm with a private binfmt_misc mount is not available here');
      console.log('# SKIP no private binfmt_misc instance (unshare -Urm / kernel < 6.7)');
      return;
    }
    const debLines = qemuBinfmtLines(tempDir(t));
    const real = debLines === null ? [] : [...debLines.values()].map((l) => withInterpreter(l, '/bin/true'));
    const cases = [...valid.map(([l]) => l), ...real, ...invalid.map(([l]) => l)];
    const verdicts = kernelVerdicts(dir, cases);
    cases.forEach((line, i) => {
      assert.equal(verdicts[i], parseBinfmtRegister(line).ok, `kernel and validator disagree on ${JSON.stringify(line)}`);
    });
    // the host's own instance is untouched: this test never mounts or writes it
    assert.ok(!fs.existsSync('/proc/sys/fs/binfmt_misc/nodefit-m') && !fs.existsSync('/proc/sys/fs/binfmt_misc/qemu-nodefit'));
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const p = parseBinfmtRegister(s);
        assert.equal(typeof p.ok, 'boolean');
        if (!p.ok) assert.ok(p.error.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});
