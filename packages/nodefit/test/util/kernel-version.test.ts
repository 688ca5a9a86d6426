// Kernel release ordering: the releases distributions really ship, and the laws a sort needs (property tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  atLeast,
  compareKernelReleases,
  compareVersionFragments,
  hasChange,
  inStableSeries,
  parseKernelVersion,
  seriesOf,
} from '../../src/util/kernel-version.ts';

const REAL = [
  '5.14.0-503.15.1.el9_5',
  '6.1.107-153.189.amzn2023',
  '6.12.117+deb12-amd64',
  '6.1.0-27-amd64',
  '6.8.0-31-generic',
  '4.18.0-553.97.1.el8_10.x86_64',
  '6.18.44-fc-v595',
  '3.10.0-1160.119.1.0.5.el7',
];

test('parses the releases distributions ship, vendor suffix kept apart from x.y.z', () => {
  assert.deepEqual(parseKernelVersion('5.14.0-503.15.1.el9_5'), {
    raw: '5.14.0-503.15.1.el9_5',
    major: 5,
    minor: 14,
    patch: 0,
    suffix: '-503.15.1.el9_5',
  });
  assert.equal(parseKernelVersion('6.12.117+deb12-amd64')?.suffix, '+deb12-amd64');
  assert.equal(parseKernelVersion('6.18.44-fc-v595')?.patch, 44);
  assert.equal(parseKernelVersion('3.10.0-1160.119.1.0.5.el7')?.minor, 10);
  assert.equal(parseKernelVersion('6.7')?.patch, 0);
  for (const r of REAL) assert.notEqual(parseKernelVersion(r), undefined, r);
  assert.equal(parseKernelVersion('linux'), undefined);
  assert.equal(parseKernelVersion(''), undefined);
});

test('orders real releases numerically first, then by vendor suffix', () => {
  const sorted = [...REAL].sort(compareKernelReleases);
  assert.deepEqual(sorted, [
    '3.10.0-1160.119.1.0.5.el7',
    '4.18.0-553.97.1.el8_10.x86_64',
    '5.14.0-503.15.1.el9_5',
    '6.1.0-27-amd64',
    '6.1.107-153.189.amzn2023',
    '6.8.0-31-generic',
    '6.12.117+deb12-amd64',
    '6.18.44-fc-v595',
  ]);
  // semver would call these pre-releases or reject them; numeric build parts compare as numbers.
  assert.ok(compareKernelReleases('5.14.0-503.15.1.el9_5', '5.14.0-70.13.1.el9_0') > 0);
  assert.ok(compareKernelReleases('5.14.0-503.15.1.el9_5', '5.14.0-503.9.1.el9_5') > 0);
  assert.ok(compareKernelReleases('6.1.0-27-amd64', '6.1.0-9-amd64') > 0);
  assert.ok(compareKernelReleases('6.12.0', '6.9.12') > 0);
  assert.ok(compareKernelReleases('6.8.0-rc1', '6.8.0') < 0);
  assert.ok(compareKernelReleases('6.8.0-rc2', '6.8.0-rc10') < 0);
  assert.equal(compareKernelReleases('6.1.107', '6.1.107'), 0);
});

test('rpmvercmp-style fragments: numbers beat letters, "~" sorts first, leading zeros do not matter for order', () => {
  assert.ok(compareVersionFragments('el9_5', 'el9_10') < 0);
  assert.ok(compareVersionFragments('1.0a', '1.0.1') < 0);
  assert.ok(compareVersionFragments('~rc1', '') < 0);
  assert.ok(compareVersionFragments('', 'a') < 0);
  assert.ok(compareVersionFragments('010', '9') > 0);
});

test('atLeast and stable-series helpers compare the numeric base only', () => {
  assert.equal(atLeast('6.7.0', '6.7'), true);
  assert.equal(atLeast('6.6.48', '6.7'), false);
  assert.equal(atLeast('6.1.107-153.189.amzn2023', '6.1.107'), true);
  assert.equal(atLeast('6.1.106+foo', '6.1.107'), false);
  assert.equal(atLeast('garbage', '6.1'), undefined);
  assert.equal(seriesOf('6.12.117+deb12-amd64'), '6.12');
  assert.equal(inStableSeries('6.1.107-153.189.amzn2023', '6.1'), true);
  assert.equal(inStableSeries('6.10.7', '6.1'), false);
  assert.equal(inStableSeries('x', 'y'), false);
});

test('hasChange: mainline, stable backports, and unrecorded series stay unknown', () => {
  const landing = { mainline: '6.7', stable: { '6.1': '6.1.107', '6.6': '6.6.48' } };
  assert.equal(hasChange('6.7.0', landing).has, true);
  assert.equal(hasChange('6.1.107', landing).has, true);
  assert.equal(hasChange('6.1.106', landing).has, false);
  assert.equal(hasChange('5.19.17', landing).has, 'unknown');
  assert.equal(hasChange('5.19.17', landing, ['5.19']).has, false);
  assert.equal(hasChange('nope', landing).has, 'unknown');
});

const segment = fc.oneof(
  fc.integer({ min: 0, max: 2000 }).map(String),
  fc.constantFrom('el', 'amzn', 'deb', 'generic', 'amd64', 'fc', 'v', 'rc', 'x86_64', 'uek', 'a', 'b'),
);
const sep = fc.constantFrom('.', '-', '_', '+', '~');
const suffix = fc
  .array(fc.tuple(sep, segment), { maxLength: 6 })
  .map((parts) => parts.map(([s, p]) => s + p).join(''));
const release = fc
  .tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 0, max: 20 }), fc.option(fc.integer({ min: 0, max: 300 })), suffix)
  .map(([a, b, c, s]) => `${a}.${b}${c === null ? '' : `.${c}`}${s}`);
const anyRelease = fc.oneof(release, fc.string({ maxLength: 20 }));

test('property: comparison is antisymmetric and reflexive', () => {
  fc.assert(
    fc.property(anyRelease, anyRelease, (a, b) => {
      assert.equal(compareKernelReleases(a, a), 0);
      assert.equal(Math.sign(compareKernelReleases(a, b)) + Math.sign(compareKernelReleases(b, a)), 0);
    }),
    { numRuns: 2000 },
  );
});

test('property: comparison is transitive', () => {
  fc.assert(
    fc.property(anyRelease, anyRelease, anyRelease, (a, b, c) => {
      if (compareKernelReleases(a, b) <= 0 && compareKernelReleases(b, c) <= 0) {
        assert.ok(compareKernelReleases(a, c) <= 0, `${a} <= ${b} <= ${c}`);
      }
    }),
    { numRuns: 3000 },
  );
});

test('property: total order — equal only for identical (trimmed) releases, sorting is stable under shuffles', () => {
  fc.assert(
    fc.property(anyRelease, anyRelease, (a, b) => {
      if (compareKernelReleases(a, b) === 0) assert.equal(a.trim(), b.trim());
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.array(release, { maxLength: 20 }), (xs) => {
      const once = [...xs].sort(compareKernelReleases);
      const twice = [...xs].reverse().sort(compareKernelReleases);
      assert.deepEqual(once, twice);
    }),
  );
});

test('property: a higher numeric base always wins, whatever the suffixes', () => {
  fc.assert(
    fc.property(release, release, (a, b) => {
      const pa = parseKernelVersion(a)!;
      const pb = parseKernelVersion(b)!;
      const base = [pa.major - pb.major, pa.minor - pb.minor, pa.patch - pb.patch].find((d) => d !== 0);
      if (base !== undefined) assert.equal(Math.sign(compareKernelReleases(a, b)), Math.sign(base));
    }),
  );
});

test('property: the parser never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      parseKernelVersion(s);
      atLeast(s, '6.7');
    }),
  );
});
