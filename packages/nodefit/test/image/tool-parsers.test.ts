// kmod's strings found by substring search give exactly what walking every printable string gives, on real kmod
// binaries and on arbitrary mixes of banners, feature lines and junk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { printableStrings } from '../helpers/printable-strings.ts';
import { isKmodFeatureLine, parseKmodStrings, type KmodStrings } from '../../src/image/tool-parsers.ts';
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
