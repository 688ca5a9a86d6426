// What the kernel config says about module compression, across the three Kconfig layouts it has had.
// Sources (kernel/module/Kconfig, init/Kconfig history; incidents.md Case 1):
// - <= 5.12: bool MODULE_COMPRESS + choice MODULE_COMPRESS_GZIP / MODULE_COMPRESS_XZ.
// - 5.13 .. 6.11: choice MODULE_COMPRESS_NONE / _GZIP / _XZ / _ZSTD (zstd and the choice rework in 5.13).
// - >= 6.12: c7ff693fa209 "module: Split modules_install compression and in-kernel decompression": bool
//   MODULE_COMPRESS again + choice of type + MODULE_COMPRESS_ALL (compress at modules_install, default y);
//   MODULE_DECOMPRESS depends on MODULE_COMPRESS.
// - MODULE_DECOMPRESS (5.17, b1ae6dc41eaa "module: add in-kernel support for decompressing").
import type { HostFacts } from '../facts/snapshot.ts';
import type { Evidence } from './capability.ts';
import { configOption } from './facts-view.ts';

export type Compression = 'none' | 'gzip' | 'xz' | 'zstd';

export interface ConfigCompression {
  /** The format modules_install writes, or undefined when the config does not say. */
  readonly installed: Compression | undefined;
  /** The format selected in the choice (also what MODULE_DECOMPRESS decompresses on 6.12+). */
  readonly chosen: Compression | undefined;
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

const TYPES: readonly [string, Compression][] = [
  ['MODULE_COMPRESS_ZSTD', 'zstd'],
  ['MODULE_COMPRESS_XZ', 'xz'],
  ['MODULE_COMPRESS_GZIP', 'gzip'],
];

export function configCompression(facts: HostFacts): ConfigCompression | undefined {
  if (facts.kernel.config.state !== 'known') return undefined;
  const evidence: Evidence[] = [];
  const read = (name: string) => {
    const r = configOption(facts, name);
    if (r.kind === 'set') evidence.push(r.evidence);
    return r;
  };
  const modules = read('MODULES');
  if (modules.kind === 'set' && modules.value === 'n') {
    return { installed: 'none', chosen: undefined, reason: 'CONFIG_MODULES is not set: there are no modules', evidence };
  }
  const main = read('MODULE_COMPRESS');
  const none = read('MODULE_COMPRESS_NONE');
  const all = read('MODULE_COMPRESS_ALL');
  let chosen: Compression | undefined;
  let chosenOpt = '';
  for (const [opt, kind] of TYPES) {
    const r = read(opt);
    if (r.kind === 'set' && r.value === 'y') {
      chosen = kind;
      chosenOpt = opt;
      break;
    }
  }
  if (main.kind === 'set' && main.value === 'n') {
    return { installed: 'none', chosen: undefined, reason: 'CONFIG_MODULE_COMPRESS is not set', evidence };
  }
  if (none.kind === 'set' && none.value === 'y') {
    return { installed: 'none', chosen: undefined, reason: 'CONFIG_MODULE_COMPRESS_NONE=y', evidence };
  }
  if (chosen !== undefined) {
    if (all.kind === 'set' && all.value === 'n') {
      return {
        installed: undefined,
        chosen,
        reason: `CONFIG_${chosenOpt}=y with MODULE_COMPRESS_ALL unset: modules_install leaves modules uncompressed and the packaging is expected to compress them with ${chosen}`,
        evidence,
      };
    }
    return { installed: chosen, chosen, reason: `CONFIG_${chosenOpt}=y`, evidence };
  }
  if (main.kind === 'absent' && none.kind === 'absent' && all.kind === 'absent' && enabledModules(modules.kind === 'set' ? modules.value : undefined)) {
    // No MODULE_COMPRESS* line at all in a config with modules: a kernel from before the option (3.18) or one that
    // never offered it; modules_install writes plain .ko files.
    return { installed: 'none', chosen: undefined, reason: 'the kernel config has no MODULE_COMPRESS options (kernel before 3.18?): the build does not compress modules', evidence };
  }
  return { installed: undefined, chosen: undefined, reason: 'the kernel config names no module compression option', evidence };
}

function enabledModules(v: string | undefined): boolean {
  return v === 'y';
}
