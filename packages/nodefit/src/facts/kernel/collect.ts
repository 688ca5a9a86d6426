// Collects kernel facts: release, build string, command line and the kernel config from wherever the distribution keeps it.
import * as nodePath from 'node:path';
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import { tryRead, type HostFs } from '../../host/host-fs.ts';
import { readBounded } from '../../host/root-fs.ts';
import { UserError } from '../../cli/user-error.ts';
import { configCandidates } from './config-locations.ts';
import { decodeConfig, MAX_CONFIG_FILE, type GunzipMemo } from './decode-config.ts';
import { splitCmdline } from './parse-cmdline.ts';
import { parseKernelConfig } from './parse-kernel-config.ts';
import { parseProcSwaps } from './parse-proc-swaps.ts';
import { offlineReason } from '../offline-reason.ts';
import { safeReaddir, safeStat } from './safe-host.ts';
import type { KernelConfig, KernelFacts } from './schema.ts';

const SMALL = 64 * 1024;
const MODULE_ROOTS = ['/lib/modules', '/usr/lib/modules'];

function readSmallText(fs: HostFs, path: string, max = SMALL): { text?: string; error?: string } {
  const r = tryRead(fs, path, max);
  if (!r.ok) return { error: r.error.message };
  return { text: r.data.toString('utf8') };
}

/** The only release directory under /lib/modules or /usr/lib/modules, when there is exactly one. */
function onlyModuleRelease(fs: HostFs, tried: string[]): { release?: string; why?: string } {
  const seen = new Set<string>();
  for (const root of MODULE_ROOTS) {
    tried.push(fs.display(root));
    for (const d of safeReaddir(fs, root) ?? []) if (safeStat(fs, `${root}/${d}`)?.kind === 'dir') seen.add(d);
  }
  if (seen.size === 1) return { release: [...seen][0] };
  if (seen.size === 0) return { why: 'no kernel release directory under /lib/modules or /usr/lib/modules' };
  return { why: `several kernel releases are installed (${[...seen].sort().join(', ')}), and nothing says which one the target runs` };
}

function collectRelease(ctx: CollectContext): Fact<string> {
  const { fs } = ctx;
  if (ctx.release !== undefined) return known(ctx.release, 'given by the target');
  const tried: string[] = [];
  const problems: string[] = [];
  if (!ctx.offline) {
    const p = '/proc/sys/kernel/osrelease';
    tried.push(fs.display(p));
    const r = readSmallText(fs, p);
    const v = r.text?.trim();
    if (v !== undefined && v !== '') return known(v, fs.display(p));
    if (r.error !== undefined) problems.push(r.error);
  }
  const only = onlyModuleRelease(fs, tried);
  if (only.release !== undefined) return known(only.release, `the only release directory in ${fs.display('/lib/modules')}`);
  problems.push(only.why as string);
  return unknown(tried, problems.join('; '));
}

function collectProcText(ctx: CollectContext, path: string): Fact<string> {
  const { fs } = ctx;
  if (ctx.offline) return unknown([], offlineReason(ctx));
  const r = readSmallText(fs, path);
  if (r.text === undefined) return unknown([fs.display(path)], r.error ?? 'unreadable');
  return known(r.text.replace(/\n$/, ''), fs.display(path));
}

function configFromHost(fs: HostFs, release: string | undefined, live: boolean, memo: GunzipMemo | undefined): Fact<KernelConfig> {
  const tried: string[] = [];
  const problems: string[] = [];
  for (const p of configCandidates(fs, release, live)) {
    tried.push(fs.display(p));
    const r = tryRead(fs, p, MAX_CONFIG_FILE);
    if (!r.ok) {
      if (r.error.code !== 'ENOENT') problems.push(r.error.message);
      continue;
    }
    const d = decodeConfig(r.data, memo);
    if (!d.ok) {
      problems.push(`${fs.display(p)}: ${d.problem}`);
      continue;
    }
    const config = parseKernelConfig(d.text);
    if (config.options.size === 0) {
      problems.push(`${fs.display(p)}: no CONFIG_ lines, not a kernel config`);
      continue;
    }
    return known(config, fs.display(p));
  }
  let reason = problems.length > 0 ? problems.join('; ') : 'no kernel config file in any place distributions keep it';
  if (live && problems.length === 0) {
    reason += ' (the running kernel has no /proc/config.gz: CONFIG_IKCONFIG_PROC is unset, or the `configs` module is not loaded)';
  }
  if (release === undefined) reason += '; the kernel release is unknown, so release-named files could not be looked for';
  return unknown(tried, reason);
}

function collectSwaps(ctx: CollectContext): Fact<string[]> {
  const { fs } = ctx;
  const p = '/proc/swaps';
  if (ctx.offline) return unknown([fs.display(p)], offlineReason(ctx, p));
  const r = tryRead(fs, p, SMALL);
  if (r.ok) return known(parseProcSwaps(r.data.toString('utf8')), fs.display(p));
  // a kernel without CONFIG_SWAP has no /proc/swaps, and kubelet takes that as swap off
  if (r.error.code === 'ENOENT' && safeStat(fs, '/proc/self') !== undefined) return known([], `${fs.display(p)} absent: the kernel has no swap support`);
  return unknown([fs.display(p)], r.error.code === 'ENOENT' ? `${fs.display(p)} is not there (is /proc mounted?)` : r.error.message);
}

/** The target's kernel config from the first place that has a readable one. */
export function findKernelConfig(ctx: CollectContext): Fact<KernelConfig> {
  return configFromHost(ctx.fs, ctx.release, !ctx.offline, ctx.gunzipMemo);
}

export function collectKernel(ctx: CollectContext): KernelFacts {
  const release = collectRelease(ctx);
  const withRelease: CollectContext = { ...ctx, release: release.state === 'known' ? release.value : undefined };
  const cmdlineText = collectProcText(ctx, '/proc/cmdline');
  return {
    release,
    version: collectProcText(ctx, '/proc/version'),
    cmdline: cmdlineText.state === 'known' ? known(splitCmdline(cmdlineText.value), cmdlineText.source) : cmdlineText,
    config: findKernelConfig(withRelease),
    swaps: collectSwaps(ctx),
  };
}

/** Reads an explicitly given config file (plain or gzip); throws UserError when it is unreadable or corrupt. */
export function readKernelConfigFile(path: string): Fact<KernelConfig> {
  let data: Buffer;
  try {
    data = readBounded(nodePath.resolve(path), path, MAX_CONFIG_FILE);
  } catch (e) {
    throw new UserError(`--kernel-config ${e instanceof Error ? e.message : String(e)}`);
  }
  const d = decodeConfig(data);
  if (!d.ok) throw new UserError(`--kernel-config ${path}: ${d.problem}`);
  const config = parseKernelConfig(d.text);
  if (config.options.size === 0) {
    throw new UserError(`--kernel-config ${path}: no CONFIG_ lines, not a kernel config`);
  }
  return known(config, path);
}
