// Compiles the built-in workload YAML into generated/workloads.json, so `nodefit check` never loads yaml or zod.
// Run: node --import tsx packages/nodefit/src/kb/build-profiles.ts  (a test fails when the JSON is stale).
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { readProfileDir } from './load-profile-file.ts';

export const WORKLOADS_DIR = nodePath.join(import.meta.dirname, 'workloads');
export const GENERATED_FILE = nodePath.join(import.meta.dirname, 'generated', 'workloads.json');

/** The generated file's exact text for the current YAML. */
export function buildProfilesJson(): string {
  const profiles = readProfileDir(WORKLOADS_DIR).map(({ origin: _origin, ...p }) => p);
  return JSON.stringify(profiles, null, 2) + '\n';
}

if (process.argv[1] !== undefined && nodePath.resolve(process.argv[1]) === nodePath.resolve(import.meta.filename)) {
  nodeFs.writeFileSync(GENERATED_FILE, buildProfilesJson());
  console.log(`wrote ${GENERATED_FILE}`);
}
