// Runs every area's collector over one HostFs and assembles the facts: collection only, never judgement.
import type { HostFs } from '../host/host-fs.ts';
import { collectBinfmt } from './binfmt/collect.ts';
import { collectCgroups } from './cgroups/collect.ts';
import type { CollectContext } from './collect-context.ts';
import { collectKernel } from './kernel/collect.ts';
import { collectModules } from './modules/collect.ts';
import { collectNetfilter } from './netfilter/collect.ts';
import { collectOs } from './os/collect.ts';
import type { HostFacts } from './snapshot.ts';

export interface CollectOptions {
  /** Known kernel release, e.g. from a package's file names; otherwise read from the host. */
  readonly release?: string;
  readonly offline?: boolean;
}

export function collectFacts(fs: HostFs, options: CollectOptions = {}): HostFacts {
  const offline = options.offline ?? false;
  const kernel = collectKernel({ fs, release: options.release, offline });
  const release = kernel.release.state === 'known' ? kernel.release.value : options.release;
  const ctx: CollectContext = { fs, release, offline };
  return {
    os: collectOs(ctx),
    kernel,
    modules: collectModules(ctx),
    cgroups: collectCgroups(ctx, kernel),
    binfmt: collectBinfmt(ctx),
    netfilter: collectNetfilter(ctx, kernel),
  };
}
