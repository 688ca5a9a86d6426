// A hand-made --kb directory holding one workload profile with one requirement, for tests of commands that take --kb.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `dir`/`id`.yaml (making `dir`) with the YAML flow mapping `requirement` as its only requirement; returns `dir`. */
export function writeProfileDir(dir: string, id: string, requirement: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.yaml`), `id: ${id}\ntitle: t\ndescription: d\nreferences: [https://example.com/a]\nrequirements:\n  - ${requirement}\n`);
  return dir;
}
