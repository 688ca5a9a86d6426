// The bundle users run (dist/cli.js) is built with its own tricks for start-up time; it must read the host exactly as
// the library does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadTarget } from '../../src/targets/load-target.ts';
import { encodeSnapshot } from '../../src/facts/snapshot-codec.ts';

const DIST_CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');

function scanWithBundle(args: readonly string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [DIST_CLI, 'scan', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Which facts are known and which unknown, area by area: what a broken bundle (say, a stubbed fs) would change. */
function factStates(snapshot: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    if (o.state === 'known' || o.state === 'unknown') {
      out.push(`${at}=${String(o.state)}`);
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
  };
  walk((snapshot as { facts: unknown }).facts, 'facts');
  return out.sort();
}

test('the built CLI scans the live host with the same known and unknown facts as the library', { skip: !fs.existsSync(DIST_CLI) && 'dist/cli.js missing: run npm run build' }, async () => {
  const bundle = scanWithBundle([]);
  const library = JSON.parse(JSON.stringify(encodeSnapshot(await loadTarget({ base: { kind: 'live' } })))) as unknown;
  assert.deepEqual(factStates(bundle), factStates(library));
  const kernel = (bundle.facts as { kernel: { release: { state: string; value?: string } } }).kernel;
  assert.deepEqual(kernel.release, { ...kernel.release, state: 'known', value: os.release() });
});

test('the built CLI reads a host root given with --root like the live host', { skip: !fs.existsSync(DIST_CLI) && 'dist/cli.js missing: run npm run build' }, () => {
  const viaRoot = scanWithBundle(['--root', '/']);
  const kernel = (viaRoot.facts as { kernel: { release: { state: string; value?: string } } }).kernel;
  assert.equal(kernel.release.value, os.release());
});
