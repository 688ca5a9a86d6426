// Runs every area's collector over one HostFs and assembles the facts: collection only, never judgement.
import type { HostFs } from '../host/host-fs.ts';
import { collectBinfmt } from './binfmt/collect.ts';
import { collectCgroups } from './cgroups/collect.ts';
import type { CollectContext } from './collect-context.ts';
import type { GunzipMemo } from './kernel/decode-config.ts';
import { collectKernel } from './kernel/collect.ts';
import { collectModules } from './modules/collect.ts';
import { collectNetfilter } from './netfilter/collect.ts';
import { collectOs } from './os/collect.ts';
import type { HostFacts } from './snapshot.ts';

export interface CollectOptions {
  /** Known kernel release, e.g. from a package's file names; otherwise read from the host. */
  readonly release?: string;
  readonly offline?: boolean;
  /** See CollectContext.gunzipMemo. */
  readonly gunzipMemo?: GunzipMemo;
  /** See CollectContext.sysctls. */
  readonly sysctls?: readonly string[];
}

export function collectFacts(fs: HostFs, options: CollectOptions = {}): HostFacts {
  const offline = options.offline ?? false;
  const gunzipMemo = options.gunzipMemo;
  const kernel = collectKernel({ fs, release: options.release, offline, gunzipMemo });
  const release = kernel.release.state === 'known' ? kernel.release.value : options.release;
  const ctx: CollectContext = { fs, release, offline, gunzipMemo, ...(options.sysctls === undefined ? {} : { sysctls: options.sysctls }) };
  return {
    os: collectOs(ctx),
    kernel,
    modules: collectModules(ctx, kernel),
    cgroups: collectCgroups(ctx, kernel),
    binfmt: collectBinfmt(ctx),
    netfilter: collectNetfilter(ctx, kernel),
  };
}
