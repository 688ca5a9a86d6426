// kmod's strings found by substring search give exactly what walking every printable string gives, on real kmod
// binaries and on arbitrary mixes of banners, feature lines and junk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { printableStrings } from '../helpers/printable-strings.ts';
import { isKmodFeatureLine, parseKmodStrings, parseWrapperUndecided, type KmodStrings } from '../../src/image/tool-parsers.ts';
import { need } from '../helpers/fixtures.ts';
import { debLayer } from '../helpers/image-builder.ts';
import { parseLayer } from '../../src/image/layer-reader.ts';

/** The definition: the first printable string (6+ chars) that is the banner, and the first that is a feature line. */
function reference(bin: Uint8Array): KmodStrings {
  let version: string | null = null;
  let featureLine: string | null = null;
  for (const s of printableStrings(bin, 6)) {
    if (version === null) {
      const m = /^kmod version (\d+(?:\.\d+)*)$/.exec(s);
      if (m !== null) version = m[1]!;
    }
    if (featureLine === null && isKmodFeatureLine(s)) featureLine = s.trim();
  }
  return { version, featureLine };
}

const fragment = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
  fc.constantFrom('kmod version 30', 'kmod version 34.2', 'xkmod version 1', 'kmod version 3x', '+ZSTD +XZ -ZLIB +LIBCRYPTO', ' -XZ +ZLIB\t', '+XZ', 'ZSTD', 'XZ +A', '+A +B').map((s) => Buffer.from(s)),
  fc.constantFrom(0x00, 0x0a, 0x09, 0x20, 0x2b, 0x7f, 0xff).map((b) => Buffer.from([b])),
);

void test('property: kmod banner and feature line are those of the full strings walk', () => {
  fc.assert(
    fc.property(fc.array(fragment, { maxLength: 30 }), (parts) => {
      const bin = Buffer.concat(parts);
      assert.deepEqual(parseKmodStrings(bin), reference(bin));
    }),
    { numRuns: 2000 },
  );
});

void test('the real kmod binary: version 30 and its feature line, as the strings walk finds them', async (t) => {
  const tar = debLayer('kmod');
  if (!need(t, tar !== null, 'kmod .deb fixture')) return;
  const layer = await parseLayer([tar!], 'kmod');
  const kmod = layer.entries.find((e) => e.path === '/bin/kmod');
  const data = kmod?.kind === 'file' ? kmod.data : undefined;
  assert.ok(data !== undefined, 'kmod kept whole');
  assert.deepEqual(parseKmodStrings(data), reference(data));
  assert.equal(parseKmodStrings(data).version, '30');
});

void test('property: a wrapper script gives the tie rule of its first count comparison, and only scripts and ELF files say anything', () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('if [ "${num_legacy_lines}" -ge "${num_nft_lines}" ]; then', 'if [ "${num_legacy_lines}" -gt "${num_nft_lines}" ]; then', '-ge 10', 'KUBE-IPTABLES-HINT', '\n', 'num_nft_lines'),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('elf' as const, 'script' as const, 'other' as const, 'missing' as const), (parts, kind) => {
      const text = parts.join('');
      const got = parseWrapperUndecided(kind, Buffer.from(text, 'latin1'));
      if (kind === 'other' || kind === 'missing') assert.equal(got, undefined);
      else if (kind === 'elf') assert.equal(got, text.includes('KUBE-IPTABLES-HINT') ? 'nft' : undefined);
      else {
        const ge = text.indexOf('"${num_legacy_lines}" -ge "${num_nft_lines}"');
        const gt = text.indexOf('"${num_legacy_lines}" -gt "${num_nft_lines}"');
        // the string pieces can spell a comparison too; this oracle only checks the inserted ones' order
        if (ge === -1 && gt === -1) return;
        const first = gt === -1 || (ge !== -1 && ge < gt) ? 'legacy' : 'nft';
        if (text.slice(0, Math.min(...[ge, gt].filter((i) => i !== -1))).includes('num_legacy_lines')) return;
        assert.equal(got, first);
      }
    }),
    { numRuns: 2000 },
  );
  assert.equal(parseWrapperUndecided('script', undefined), undefined);
});
