// Finds the real fixtures (kernel config corpus, Debian packages fetched by scripts/fetch-fixtures.sh) or skips visibly.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

export const CORPUS_DIR = path.resolve(process.env.NODEFIT_CORPUS ?? path.join(repoRoot, '..', 'shared', 'corpus'));
export const KERNEL_CONFIGS_DIR = path.join(CORPUS_DIR, 'kernel-configs');
export const FIXTURE_CACHE = path.resolve(process.env.NODEFIT_FIXTURES ?? path.join(os.homedir(), '.cache', 'nodefit-fixtures'));

const required = process.env.NODEFIT_REQUIRE_FIXTURES === '1';

/**
 * Returns true when the test may go on. Otherwise skips with a message saying what is missing and how to get it,
 * or, under NODEFIT_REQUIRE_FIXTURES=1 (CI), fails: CI never silently skips real-data tests.
 */
export function need(t: TestContext, available: boolean, what: string): boolean {
  if (available) return true;
  const msg = `${what} is not available (run \`npm run fixtures\`, or set NODEFIT_CORPUS / NODEFIT_FIXTURES)`;
  if (required) throw new Error(`NODEFIT_REQUIRE_FIXTURES=1 but ${msg}`);
  console.log(`# SKIP ${msg}`);
  t.skip(msg);
  return false;
}

export function corpusConfigs(): string[] {
  if (!fs.existsSync(KERNEL_CONFIGS_DIR)) return [];
  return fs
    .readdirSync(KERNEL_CONFIGS_DIR)
    .filter((f) => f.endsWith('.config'))
    .sort()
    .map((f) => path.join(KERNEL_CONFIGS_DIR, f));
}

export interface FixtureManifest {
  debs: Record<string, { package: string; path: string; version: string }>;
  trees: Record<'kernel-6.1' | 'kernel-6.12', { root: string; release: string }>;
  checkConfig: string;
}

let manifestCache: FixtureManifest | null | undefined;

export function fixtureManifest(): FixtureManifest | null {
  if (manifestCache !== undefined) return manifestCache;
  const p = path.join(FIXTURE_CACHE, 'manifest.json');
  manifestCache = fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as FixtureManifest) : null;
  return manifestCache;
}

/** A downloaded .deb by key (e.g. "kmod", "kernel-6.12"), or null. */
export function debFixture(key: string): { package: string; path: string; version: string } | null {
  const d = fixtureManifest()?.debs[key];
  return d !== undefined && fs.existsSync(d.path) ? d : null;
}

/** A temp dir removed after the test. */
export function tempDir(t: TestContext, prefix = 'nodefit-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A copy of a fixture tree that a test may change, removed after it: hard links where the filesystem allows, so a
 * test must replace or remove files, never write into them (that would change the shared fixture).
 */
export function treeCopy(t: TestContext, from: string): string {
  const to = path.join(tempDir(t), 'root');
  if (spawnSync('cp', ['-al', from, to]).status !== 0 && spawnSync('cp', ['-a', from, to]).status !== 0) throw new Error(`could not copy ${from} to ${to}`);
  return to;
}
