// Test support for the knowledge base: corpus configs by name, real Debian module trees as facts, snapshots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { known } from '../../src/facts/fact.ts';
import type { HostFacts, Snapshot } from '../../src/facts/snapshot.ts';
import { readProfileFile } from '../../src/kb/load-profile-file.ts';
import type { WorkloadProfile } from '../../src/kb/profile-types.ts';
import { factsBuilder, type FactsBuilder } from '../helpers/facts-builder.ts';
import { KERNEL_CONFIGS_DIR, corpusConfigs, fixtureManifest } from '../helpers/fixtures.ts';

export function corpusAvailable(): boolean {
  return corpusConfigs().length > 0;
}

/** A corpus config by file name prefix, e.g. "bottlerocket-6.1.163". */
export function corpus(prefix: string): string {
  const f = corpusConfigs().find((p) => path.basename(p).startsWith(prefix));
  if (f === undefined) throw new Error(`no corpus config ${prefix} in ${KERNEL_CONFIGS_DIR}`);
  return f;
}

/** Facts of a kernel-config target: the config (and the release from its header), nothing else. */
export function fromConfig(prefix: string): FactsBuilder {
  return factsBuilder().withConfigFile(corpus(prefix));
}

export function treeAvailable(key: 'kernel-6.1' | 'kernel-6.12'): boolean {
  const t = fixtureManifest()?.trees[key];
  return t !== undefined && fs.existsSync(path.join(t.root, 'lib/modules', t.release));
}

/** A real Debian kernel tree from the fixtures: its config, release, module files and built-ins. */
export function fromDebianTree(key: 'kernel-6.1' | 'kernel-6.12'): FactsBuilder {
  const t = fixtureManifest()!.trees[key];
  const dir = path.join(t.root, 'lib/modules', t.release);
  const files: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (/\.ko(\.(gz|xz|zst))?$/.test(e.name)) files.push(r);
    }
  };
  walk(path.join(dir, 'kernel'), 'kernel');
  const builtin = fs
    .readFileSync(path.join(dir, 'modules.builtin'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.slice(l.lastIndexOf('/') + 1).replace(/\.ko$/, '').replace(/-/g, '_'));
  return factsBuilder()
    .withRelease(t.release, `${t.root}/boot`)
    .withConfigFile(path.join(t.root, 'boot', `config-${t.release}`))
    .withModules(files, dir)
    .withBuiltin(builtin, path.join(dir, 'modules.builtin'));
}

export function snapshotOf(facts: HostFacts, kind: Snapshot['target']['kind'] = 'kernel-config', description = 'test'): Snapshot {
  return { schemaVersion: 1, kind: 'nodefit-snapshot', tool: { name: 'nodefit', version: '0.0.0' }, target: { kind, description }, facts };
}

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** A hand-made profile from test/kb/fixtures (the situations before an upstream fix). */
export function fixtureProfile(id: string): WorkloadProfile {
  return readProfileFile(path.join(FIXTURES, `${id}.yaml`));
}

export { known };
