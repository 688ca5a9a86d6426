// Probe: would `modprobe --dry-run` find each module the workloads need? Never loads anything (-n stops before insmod).
import * as fs from 'node:fs';
import { known, unknown, type Fact } from '../facts/fact.ts';
import { findTool, firstLine, runTool } from './exec.ts';

/**
 * The modules the incident workloads ask for when no list is given: Cilium's iptables set (incidents.md Case 1,
 * cilium pkg/datapath/iptables) plus the nft core kube-proxy's nftables mode and Submariner need.
 */
export const DEFAULT_PROBE_MODULES: readonly string[] = [
  'ip_tables',
  'iptable_nat',
  'iptable_mangle',
  'iptable_raw',
  'iptable_filter',
  'ip6_tables',
  'ip6table_mangle',
  'ip6table_raw',
  'ip6table_filter',
  'xt_socket',
  'nf_tables',
  'br_netfilter',
  'overlay',
];

export interface ModprobeContext {
  /** The kernel config's MODULES value ("y", "n"), or undefined when the config is not known. */
  readonly configModules: string | undefined;
  /** Path of /proc/modules (overridable for tests). */
  readonly procModules?: string;
  readonly modprobePath?: string | null;
  /** A module tree other than the running kernel's (modprobe -d ROOT -S RELEASE), e.g. an unpacked kernel package. */
  readonly moduleTree?: { readonly root: string; readonly release: string };
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function probeModprobe(modules: readonly string[], ctx: ModprobeContext): Fact<Record<string, string>> {
  const tried = ['kernel config MODULES', ctx.procModules ?? '/proc/modules', 'modprobe --dry-run'];
  if (ctx.configModules !== undefined && ctx.configModules !== 'y') {
    return unknown(tried, 'not applicable: the kernel is built without CONFIG_MODULES, so nothing can be loaded and modprobe has nothing to do');
  }
  if (ctx.moduleTree === undefined && !fs.existsSync(ctx.procModules ?? '/proc/modules')) {
    return unknown(tried, 'not applicable: /proc/modules is absent (kernel without module support)');
  }
  const modprobe = ctx.modprobePath === undefined ? findTool('modprobe') : ctx.modprobePath;
  if (modprobe === null) return unknown(tried, 'modprobe (kmod) is not installed');
  const out: Record<string, string> = {};
  for (const m of modules) {
    if (!SAFE_NAME.test(m)) {
      out[m] = 'not a module name';
      continue;
    }
    // -n: dry run (no insmod), -q is not used so the reason is kept
    const tree = ctx.moduleTree === undefined ? [] : ['-d', ctx.moduleTree.root, '-S', ctx.moduleTree.release];
    const r = runTool(modprobe, ['--dry-run', '--verbose', ...tree, m], { timeoutMs: 15_000 });
    out[m] = r.status === 0 ? 'ok' : firstLine(r.stderr) || r.error || `exit ${String(r.status)}`;
  }
  return known(out, `${modprobe} --dry-run${ctx.moduleTree === undefined ? '' : ` -d ${ctx.moduleTree.root} -S ${ctx.moduleTree.release}`}`);
}
