// Collects netfilter facts: which backend the kernel is actually using, and what the host's own iptables is wired to.
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import { canonicalSysctlKey, isSysctlKey, NETFILTER_SYSCTLS, sysctlPath } from './sysctl-key.ts';
import { HostFsError, tryRead } from '../../host/host-fs.ts';
import type { KernelFacts } from '../kernel/schema.ts';
import { offlineReason } from '../offline-reason.ts';
import { modulesBuiltinHas, parseTableNames, procModulesHas } from './parse-proc-tables.ts';
import { resolveIptables } from './resolve-iptables.ts';
import type { NetfilterFacts } from './schema.ts';

const SMALL = 64 * 1024;
const PROC_MODULES_MAX = 4 * 1024 * 1024;

const NFT_PATHS = ['/usr/local/sbin/nft', '/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft', '/bin/nft'];

/** Per-network-namespace lists: pid 1's namespace (the host's, under hostPID) first, then our own. */
function collectTables(ctx: CollectContext, file: 'ip_tables_names' | 'ip6_tables_names', module: string): Fact<string[]> {
  const bases = ['/proc/1/net', '/proc/self/net'];
  const tried = bases.map((b) => ctx.fs.display(`${b}/${file}`));
  if (ctx.offline) return unknown(tried, offlineReason(ctx, `/proc/net/${file}`));
  const failures: string[] = [];
  for (const base of bases) {
    const path = `${base}/${file}`;
    const shown = ctx.fs.display(path);
    const r = tryRead(ctx.fs, path, SMALL);
    if (r.ok) {
      const parsed = parseTableNames(r.data.toString('utf8'));
      if (parsed.ok) return known(parsed.names, shown);
      failures.push(`${shown}: ${parsed.reason}`);
      continue;
    }
    if (r.error.code === 'ENOENT' && safeStat(ctx, base)) {
      // the file exists whenever the module is loaded (or built in); its absence is the answer, not a gap
      return known([], `${shown} (absent: ${module} not loaded)`);
    }
    failures.push(r.error.message);
  }
  return unknown(tried, failures.join('; '));
}

function safeStat(ctx: CollectContext, path: string): boolean {
  try {
    return ctx.fs.stat(path)?.kind === 'dir';
  } catch (e) {
    if (e instanceof HostFsError) return false;
    throw e;
  }
}

/**
 * nf_tables in the running kernel. /sys/module/nf_tables appears for a loaded module but, for a built-in one,
 * only when it has parameters (it has none), so built-in nf_tables is seen through modules.builtin or the
 * kernel config instead.
 */
function collectNfTables(ctx: CollectContext, kernel: KernelFacts | undefined): Fact<boolean> {
  const release = ctx.release;
  const builtinPaths =
    release === undefined ? [] : [`/lib/modules/${release}/modules.builtin`, `/usr/lib/modules/${release}/modules.builtin`];
  const tried = ['/proc/modules', '/sys/module/nf_tables', ...builtinPaths].map((p) => ctx.fs.display(p));
  if (ctx.offline) return unknown(tried, offlineReason(ctx, 'loaded modules'));
  const mods = tryRead(ctx.fs, '/proc/modules', PROC_MODULES_MAX);
  if (mods.ok && procModulesHas(mods.data.toString('utf8'), 'nf_tables')) return known(true, ctx.fs.display('/proc/modules'));
  if (safeStat(ctx, '/sys/module/nf_tables')) return known(true, ctx.fs.display('/sys/module/nf_tables'));
  let builtinListRead = false;
  for (const p of builtinPaths) {
    const r = tryRead(ctx.fs, p, PROC_MODULES_MAX);
    if (!r.ok) continue;
    builtinListRead = true;
    if (modulesBuiltinHas(r.data.toString('utf8'), 'nf_tables')) return known(true, `${ctx.fs.display(p)} (built in)`);
    break;
  }
  const config = kernel?.config;
  if (config?.state === 'known') {
    const v = config.value.options.get('NF_TABLES');
    if (v === 'y') return known(true, `${config.source} (CONFIG_NF_TABLES=y, built in)`);
    if (v === undefined || v === 'n') return known(false, `${config.source} (CONFIG_NF_TABLES not set)`);
  }
  if (mods.ok && builtinListRead) return known(false, `${ctx.fs.display('/proc/modules')} (neither loaded nor built in)`);
  let why: string;
  if (mods.ok) {
    why = 'nf_tables is not loaded as a module, and whether it is built in is not visible (no modules.builtin for this release, kernel config unknown)';
  } else if (mods.error.code === 'ENOENT' && safeStat(ctx, '/proc/self')) {
    why = `${mods.error.message}: the kernel has no module support, so nf_tables is there only if built in (CONFIG_NF_TABLES=y), and the kernel config is unknown`;
  } else {
    why = `${mods.error.message} (is /proc mounted?)`;
  }
  return unknown(tried, why);
}

function collectSysctls(ctx: CollectContext): Fact<Record<string, string | null>> {
  const names = [...new Set<string>([...NETFILTER_SYSCTLS, ...(ctx.sysctls ?? []).filter(isSysctlKey).map(canonicalSysctlKey)])];
  const paths = names.map(sysctlPath);
  const tried = paths.map((p) => ctx.fs.display(p));
  if (ctx.offline) return unknown(tried, offlineReason(ctx, '/proc/sys'));
  const out: Record<string, string | null> = {};
  names.forEach((name, i) => {
    const r = tryRead(ctx.fs, paths[i] as string, 4096);
    // null: read, and not there (bridge-nf-* exist only with br_netfilter, nf_conntrack_max only with conntrack); a key
    // that could not be read (a 0600 one for a non-root run) is left out, which says nothing about it
    if (r.ok) out[name] = r.data.toString('utf8').trim();
    else if (r.error.code === 'ENOENT' || r.error.code === 'ENOTDIR') out[name] = null;
  });
  if (Object.values(out).every((v) => v === null)) return unknown(tried, 'none of these sysctls is readable (is /proc mounted?)');
  return known(out, ctx.fs.display('/proc/sys'));
}

function collectNft(ctx: CollectContext): Fact<string | null> {
  const tried = NFT_PATHS.map((p) => ctx.fs.display(p));
  if (ctx.offline) return unknown(tried, offlineReason(ctx, 'binaries'));
  for (const p of NFT_PATHS) {
    try {
      if (ctx.fs.stat(p)?.kind === 'file') return known(ctx.fs.display(p), ctx.fs.display(p));
    } catch (e) {
      if (!(e instanceof HostFsError)) throw e;
    }
  }
  return known(null, tried.join(', '));
}

export function collectNetfilter(ctx: CollectContext, kernel?: KernelFacts): NetfilterFacts {
  const bridgeShown = ctx.fs.display('/proc/sys/net/bridge');
  let iptables: NetfilterFacts['iptables'];
  if (ctx.offline) {
    iptables = unknown([], offlineReason(ctx, 'iptables'));
  } else {
    const r = resolveIptables(ctx.fs);
    iptables = r.ok ? known(r.binary, r.binary.path) : unknown(r.tried, r.reason);
  }
  let brNetfilter: Fact<boolean>;
  if (ctx.offline) brNetfilter = unknown([bridgeShown], offlineReason(ctx, '/proc/sys'));
  else if (!safeStat(ctx, '/proc/sys/net')) brNetfilter = unknown([bridgeShown], `${ctx.fs.display('/proc/sys/net')} is not there (is /proc mounted?)`);
  else brNetfilter = known(safeStat(ctx, '/proc/sys/net/bridge'), bridgeShown);
  return {
    legacyTablesV4: collectTables(ctx, 'ip_tables_names', 'ip_tables'),
    legacyTablesV6: collectTables(ctx, 'ip6_tables_names', 'ip6_tables'),
    nfTablesActive: collectNfTables(ctx, kernel),
    iptables,
    nft: collectNft(ctx),
    brNetfilter,
    sysctls: collectSysctls(ctx),
  };
}
