// The CLI remembers the last decompressed kernel config in its private cache: a hit must be exactly what gunzip gives,
// and a memo file that is damaged, foreign or for other input must never be believed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { fileGunzipMemo } from '../../src/cli/gunzip-memo-file.ts';
import { decodeConfig, type GunzipMemo } from '../../src/facts/kernel/decode-config.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';
import { corpusConfigs, need, tempDir } from '../helpers/fixtures.ts';

const MEMO = 'kernel-config-gunzip.memo';

function privateDir(t: Parameters<typeof tempDir>[0]): string {
  const dir = path.join(tempDir(t), 'cache');
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

function decoded(gz: Buffer, memo: GunzipMemo | undefined): string {
  const d = decodeConfig(gz, memo);
  assert.ok(d.ok, d.ok ? '' : d.problem);
  return d.text;
}

test('a gzip config decoded once is read back from the private cache the next time, as the same text', (t) => {
  const files = corpusConfigs();
  if (!need(t, files.length > 0, 'the kernel config corpus')) return;
  const text = fs.readFileSync(files[0]!, 'utf8');
  const gz = zlib.gzipSync(text);
  const dir = privateDir(t);
  const memo = fileGunzipMemo({ NODEFIT_COMPILE_CACHE: dir });
  assert.ok(memo !== undefined);
  assert.equal(decoded(gz, memo), text);
  const file = path.join(dir, MEMO);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal(memo.get(gz), text);
  assert.equal(decoded(gz, fileGunzipMemo({ NODEFIT_COMPILE_CACHE: dir })), text);

  // the remembered text is what the next run uses: proven by planting a different one for the same input
  const planted = fs.readFileSync(file);
  const header = planted.subarray(0, planted.indexOf(10, planted.indexOf(10) + 1) + 1);
  fs.writeFileSync(file, Buffer.concat([header, gz, Buffer.from('CONFIG_PLANTED=y\n')]), { mode: 0o600 });
  assert.equal(decoded(gz, memo), 'CONFIG_PLANTED=y\n');

  // other input misses, is inflated, and takes the single slot
  const other = zlib.gzipSync(fs.readFileSync(files[1] ?? files[0]!, 'utf8') + '# another\n');
  assert.equal(memo.get(other), undefined);
  const otherText = decoded(other, memo);
  assert.ok(otherText.endsWith('# another\n'));
  assert.equal(memo.get(other), otherText);
  assert.equal(memo.get(gz), undefined);
});

test('a damaged, foreign or misplaced memo file is never believed: the config is inflated again', (t) => {
  const text = 'CONFIG_MODULES=y\n# CONFIG_IKCONFIG is not set\n';
  const gz = zlib.gzipSync(text);
  const dir = privateDir(t);
  const file = path.join(dir, MEMO);
  const memo = fileGunzipMemo({ NODEFIT_COMPILE_CACHE: dir })!;
  memo.put(gz, text);
  const good = fs.readFileSync(file);
  const bodyStart = good.length - gz.length - Buffer.byteLength(text);
  const cases: Array<[string, Buffer]> = [
    ['cut inside the compressed input', good.subarray(0, bodyStart + 5)],
    ['another format version', Buffer.concat([Buffer.from('nodefit-gunzip-memo-v9\n'), good.subarray(good.indexOf(10) + 1)])],
    ['a length that does not match', Buffer.from(good.toString('latin1').replace(`\n${gz.length}\n`, `\n${gz.length + 1}\n`), 'latin1')],
    ['input bytes that differ', Buffer.concat([good.subarray(0, bodyStart), Buffer.from(gz.map((b, i) => (i === gz.length - 5 ? b ^ 1 : b))), good.subarray(bodyStart + gz.length)])],
    ['no header line end', Buffer.from('nodefit-gunzip-memo-v1\n' + '1'.repeat(64))],
    ['empty', Buffer.alloc(0)],
  ];
  for (const [what, bytes] of cases) {
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    assert.equal(memo.get(gz), undefined, what);
    assert.equal(decoded(gz, memo), text, what);
  }

  // others may write it: not ours to trust
  memo.put(gz, 'CONFIG_FORGED=y\n');
  fs.chmodSync(file, 0o666);
  assert.equal(memo.get(gz), undefined);
  // a symlink to a memo elsewhere
  const elsewhere = path.join(path.dirname(dir), 'elsewhere.memo');
  fs.renameSync(file, elsewhere);
  fs.chmodSync(elsewhere, 0o600);
  fs.symlinkSync(elsewhere, file);
  assert.equal(memo.get(gz), undefined);
  if (process.getuid?.() === 0) {
    fs.rmSync(file);
    fs.copyFileSync(elsewhere, file);
    fs.chownSync(file, 4242, 4242);
    assert.equal(memo.get(gz), undefined);
  }
});

test('no memo without a private cache directory: switched off, relative, missing HOME, or writable by others', (t) => {
  const base = tempDir(t);
  const shared = path.join(base, 'shared');
  fs.mkdirSync(shared);
  fs.chmodSync(shared, 0o777);
  assert.equal(fileGunzipMemo({ NODEFIT_COMPILE_CACHE: '0', HOME: base }), undefined);
  assert.equal(fileGunzipMemo({ NODEFIT_COMPILE_CACHE: 'relative/dir' }), undefined);
  assert.equal(fileGunzipMemo({}), undefined);
  assert.equal(fileGunzipMemo({ NODEFIT_COMPILE_CACHE: shared }), undefined);
  assert.deepEqual(fs.readdirSync(shared), []);
});

test('whatever bytes the memo file holds, reading it never throws and never yields text for input it does not hold (property)', (t) => {
  const dir = privateDir(t);
  const file = path.join(dir, MEMO);
  const memo = fileGunzipMemo({ NODEFIT_COMPILE_CACHE: dir })!;
  const gz = zlib.gzipSync('CONFIG_A=y\n');
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 256 }), fc.boolean(), (bytes, withHeader) => {
      const body = Buffer.from(bytes);
      fs.writeFileSync(file, withHeader ? Buffer.concat([Buffer.from(`nodefit-gunzip-memo-v1\n${body.length}\n`), body]) : body, { mode: 0o600 });
      assert.equal(memo.get(gz), undefined);
    }),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.string({ maxLength: 200 }), (input, text) => {
      memo.put(Buffer.from(input), text);
      assert.equal(memo.get(Buffer.from(input)), text);
    }),
    { numRuns: 200 },
  );
});

test('one collection reads and decompresses the kernel config once, even where the modules collector needs it too', () => {
  const fs2 = new MemoryFs('counting');
  const text = 'CONFIG_MODULES=y\n# CONFIG_IKCONFIG is not set\n';
  fs2.addFile('/proc/config.gz', zlib.gzipSync(text));
  fs2.addFile('/proc/sys/kernel/osrelease', Buffer.from('6.12.0-test\n'));
  const reads: string[] = [];
  const readFile = fs2.readFile.bind(fs2);
  fs2.readFile = (p: string, max?: number) => {
    reads.push(p);
    return readFile(p, max);
  };
  let inflated = 0;
  const memo: GunzipMemo = {
    get: () => {
      inflated++;
      return undefined;
    },
    put: () => undefined,
  };
  // no /lib/modules/6.12.0-test: the modules collector explains the absence with the config the kernel collector read
  const facts = collectFacts(fs2, { gunzipMemo: memo });
  assert.equal(facts.kernel.config.state, 'known');
  assert.equal(facts.modules.files.state, 'unknown');
  assert.deepEqual(
    reads.filter((p) => p === '/proc/config.gz'),
    ['/proc/config.gz'],
  );
  assert.equal(inflated, 1);
});
