// The run memo (src/cli/run-memo.ts) replays a report when the host answers every HostFs call as before. That is sound
// only while collecting, evaluating and rendering read nothing else: no file outside HostFs, no clock, no randomness,
// no environment. This test keeps it so; each exception says why it does not break the premise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
/** Everything a check may run, all of src/ but the CLI layer (its inputs are the memo key), the agent and the probes. */
const DIRS = fs
  .readdirSync(SRC, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['cli', 'agent', 'probes'].includes(d.name))
  .map((d) => d.name);

const DIRECT_MODULE = 'a module with direct filesystem, process or network access';
const OUTSIDE_FILE = 'a file outside the HostFs it was given';

const OUTSIDE_INPUTS: ReadonlyArray<readonly [string, RegExp]> = [
  [DIRECT_MODULE, /from ['"](node:)?(fs|fs\/promises|os|child_process|net|dgram|dns|http|https|http2|tls|worker_threads|crypto|tty|readline|inspector|perf_hooks|cluster|process)['"]|\brequire\(|\bimport\(\s*['"](?!\.)|\bfetch\(|\bnavigator\.|\bWebSocket\b/],
  ['the environment', /process\.env\b/],
  ['the clock', /\bDate\b|\bperformance\.|process\.hrtime|\bIntl\.|toLocale/],
  ['randomness', /Math\.random\(|crypto\.random|randomUUID|getRandomValues/],
  // process.x, the process object taken whole (`const p = process`, `const { env } = process`), or through globalThis
  ['process state', /process\.(?!getBuiltinModule\('node:zlib'\))\w+|=\s*process\s*[;,)]|=\s*process\s*$|\}\s*=\s*process\b|\bglobalThis\b/m],
  ['a built-in loaded at run time', /getBuiltinModule\('node:(?!zlib')/],
  [OUTSIDE_FILE, /\breadBounded\(|new RootFs\(/],
];

/** "file (under src/): what it reads" → why that does not make a replayed report differ from a fresh one. */
const ALLOWED: Readonly<Record<string, string>> = {
  [`facts/modules/walk-module-tree.ts: ${DIRECT_MODULE}`]: 'walkRealModuleDir runs only as RootFs.walkModuleDir, which TracingFs records as one call',
  'facts/os/collect.ts: process state': 'process.arch, the fallback for the architecture, is part of the memo key',
  [`kb/build-profiles.ts: ${DIRECT_MODULE}`]: 'runs at build time only',
  [`kb/load-profile-file.ts: ${DIRECT_MODULE}`]: 'reads --kb files, and a check with --kb keeps no memo',
  [`engine/diff/diff-target.ts: ${DIRECT_MODULE}`]: 'nodefit diff, which keeps no memo',
  [`targets/load-target.ts: ${DIRECT_MODULE}`]: 'checks the --modules directory, and a check with --modules keeps no memo',
  [`targets/load-target.ts: ${OUTSIDE_FILE}`]: 'makes the RootFs of a live host or --root, the one the CLI reads through TracingFs',
  [`facts/kernel/collect.ts: ${OUTSIDE_FILE}`]: 'readKernelConfigFile reads --kernel-config, and a check with it keeps no memo',
  [`facts/modules/collect.ts: ${OUTSIDE_FILE}`]: 'collectModuleTreeDir reads --modules, and a check with it keeps no memo',
  [`targets/read-snapshot.ts: ${OUTSIDE_FILE}`]: 'reads --snapshot, which keeps no memo',
  [`host/root-fs.ts: ${DIRECT_MODULE}`]: 'is the HostFs over a real directory: what TracingFs wraps and the replay asks again',
  [`host/root-fs.ts: ${OUTSIDE_FILE}`]: 'its readBounded serves RootFs itself, and the readers of --kernel-config and --snapshot',
  'kb/build-profiles.ts: process state': 'runs at build time only',
  [`nft/parse-ruleset.ts: ${DIRECT_MODULE}`]: 'nodefit nft-lint reads the ruleset it is given; check never loads it',
  ...Object.fromEntries(
    ['archive/ar.ts', 'archive/kernel-package/payload.ts', 'archive/package-file.ts', 'archive/range-decompress.ts', 'archive/rpm.ts'].map((f) => [
      `${f}: ${DIRECT_MODULE}`,
      'reads a kernel package or an image, and a check with --kernel-package or --image keeps no memo',
    ]),
  ),
  'archive/range-decompress.ts: the environment': 'NODEFIT_NATIVE_DECOMPRESS and PATH pick a decompressor for packages and images, which keep no memo',
  'archive/range-decompress.ts: process state': 'the same: packages and images only',
  ...Object.fromEntries(
    ['image/archive-scan.ts', 'image/file-chunks.ts', 'image/layer-reader.ts', 'image/load-image.ts'].map((f) => [`${f}: ${DIRECT_MODULE}`, 'reads --image, and a check with it keeps no memo']),
  ),
  'image/load-image.ts: process state': 'process.arch picks the platform of an --image, which keeps no memo',
};

/** A file's code without its comment lines: a comment that names process.env reads nothing. */
function code(file: string): string {
  return fs
    .readFileSync(path.join(SRC, file), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l))
    .join('\n');
}

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

test('facts, capabilities, checks, evaluation and rendering read the host only through HostFs', () => {
  const found: string[] = [];
  // the top-level modules too (the library's entry, the version): everything but the cli, agent and probes folders
  const top = fs.readdirSync(SRC).filter((f) => f.endsWith('.ts'));
  for (const file of [...top, ...DIRS.flatMap(sources)]) {
    const text = code(file);
    for (const [what, pattern] of OUTSIDE_INPUTS) {
      if (pattern.test(text) && ALLOWED[`${file}: ${what}`] === undefined) found.push(`src/${file} reads ${what}`);
    }
  }
  assert.deepEqual(found, [], 'read it through HostFs, or make such checks keep no memo (src/cli/commands/check.ts) and list the file here');
  for (const entry of Object.keys(ALLOWED)) {
    const [file, what] = entry.split(': ') as [string, string];
    const [, pattern] = OUTSIDE_INPUTS.find(([w]) => w === what) as (typeof OUTSIDE_INPUTS)[number];
    assert.ok(fs.existsSync(path.join(SRC, file)) && pattern.test(code(file)), `src/${file} no longer reads ${what}: take it off the list`);
  }
});

test('the one direct directory walk is reached only through RootFs.walkModuleDir', () => {
  const callers = fs
    .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && /(?<!function )walkRealModuleDir\(/.test(fs.readFileSync(path.join(SRC, f), 'utf8')))
    .sort();
  assert.deepEqual(callers, ['host/root-fs.ts'].map((f) => path.normalize(f)));
});
