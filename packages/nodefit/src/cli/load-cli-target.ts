// How a command reads its target: the library's loadTarget with the CLI's gunzip memo (gunzip-memo-file.ts), in one
// place, so every command that reads a live host or a --root skips node:zlib on a repeated run.
import type { Snapshot } from '../facts/snapshot.ts';
import type { HostFs } from '../host/host-fs.ts';
import type { RootFs } from '../host/root-fs.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import { fileGunzipMemo } from './gunzip-memo-file.ts';
import type { CliIo } from './io.ts';

/** What a command adds to how the target is read (LoadOptions). */
export interface CliTargetOptions {
  readonly readThrough?: (fs: RootFs) => HostFs;
  readonly sysctls?: readonly string[];
}

export async function loadCliTarget(spec: TargetSpec, io: Pick<CliIo, 'env'>, options: CliTargetOptions = {}): Promise<Snapshot> {
  // the target readers load on first use: commands that read no target never pay for them
  const { loadTarget } = await import('../targets/load-target.ts');
  return loadTarget(spec, { gunzipMemo: fileGunzipMemo(io.env), ...options });
}
