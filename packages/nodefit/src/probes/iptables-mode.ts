// Which iptables backend a container on this host should use, decided as kubernetes-sigs/iptables-wrappers does
// (pkg/xtables/detect.go DetectMode): kubelet's KUBE-IPTABLES-HINT / KUBE-KUBELET-CANARY chains in the nft mangle
// tables first, then in the *full* legacy saves (never `-t mangle` for legacy: that would make the kernel create the
// table), default nft. Reads only; the host's own iptables-save binaries do the reading.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { findTool, runTool } from './exec.ts';

export type IptablesMode = 'nft' | 'legacy';

/** iptables-wrappers' kubeletChainsRegex. */
const KUBELET_CHAINS = /^:(KUBE-IPTABLES-HINT|KUBE-KUBELET-CANARY)\b/m;

export function hasKubeletChains(saveOutput: string): boolean {
  return KUBELET_CHAINS.test(saveOutput);
}

export interface SaveStep {
  /** The command as run, for --verbose and tests. */
  readonly command: string;
  /** Stdout, or null when the command could not run or failed (errors are ignored, as upstream does). */
  readonly output: string | null;
  readonly error?: string;
}

/** Runs `<backend> <iptables-save|ip6tables-save> [args]` and returns its output. */
export type SaveRunner = (backend: IptablesMode, command: 'iptables-save' | 'ip6tables-save', args: readonly string[]) => SaveStep;

export interface ModeDecision {
  readonly mode: IptablesMode;
  readonly reason: string;
  readonly steps: readonly SaveStep[];
}

export function detectIptablesMode(run: SaveRunner): ModeDecision {
  const steps: SaveStep[] = [];
  const order: [IptablesMode, 'iptables-save' | 'ip6tables-save', readonly string[]][] = [
    ['nft', 'iptables-save', ['-t', 'mangle']],
    ['nft', 'ip6tables-save', ['-t', 'mangle']],
    ['legacy', 'iptables-save', []],
    ['legacy', 'ip6tables-save', []],
  ];
  for (const [backend, cmd, args] of order) {
    const s = run(backend, cmd, args);
    steps.push(s);
    if (s.output !== null && hasKubeletChains(s.output)) {
      return { mode: backend, reason: `kubelet's chains found by ${s.command}`, steps };
    }
  }
  return { mode: 'nft', reason: 'no kubelet chains in the nft mangle tables or the legacy tables: default nft (iptables-wrappers)', steps };
}

/** iptables-wrappers' DetectBinaryDir: the directory holding `iptables`, /usr/sbin before /sbin. */
export function binaryDir(root: string): string | null {
  for (const d of ['/usr/sbin', '/sbin']) {
    try {
      fs.lstatSync(nodePath.join(root, d, 'iptables'));
      return d;
    } catch {
      // not there
    }
  }
  return null;
}

function exists(root: string, p: string): boolean {
  try {
    fs.lstatSync(nodePath.join(root, p));
    return true;
  } catch {
    return false;
  }
}

/**
 * The binaries for one backend under a root: xtables-<backend>-multi with the applet name first (as upstream runs
 * them), else the per-command names (iptables-nft-save, …) some distributions ship without the multi binary.
 */
export function backendArgv(root: string, dir: string, backend: IptablesMode, command: 'iptables-save' | 'ip6tables-save'): string[] | null {
  const multi = nodePath.posix.join(dir, `xtables-${backend}-multi`);
  if (exists(root, multi)) return [multi, command];
  const single = nodePath.posix.join(dir, command.replace('-save', `-${backend}-save`));
  if (exists(root, single)) return [single];
  return null;
}

function readTableNames(file: string): string[] | null {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[a-z_]+$/.test(l));
  } catch {
    return null;
  }
}

/**
 * A SaveRunner for the live host (root "/") or a host root mounted at DIR. Under DIR the host's binaries run via
 * chroot(8): they are linked against the host's libraries and load the host's xtables extensions, which only resolve
 * inside that root. chroot needs CAP_SYS_CHROOT and leaves the network namespace alone, so a hostNetwork container
 * reads the host's tables. A root whose /proc is not mounted gives legacy-save no table list
 * (/proc/net/ip_tables_names): the names then come from nodefit's own /proc (same network namespace) and each
 * existing table is saved with -t, which cannot create a table that does not exist.
 */
export function hostSaveRunner(root = '/'): SaveRunner {
  const live = nodePath.resolve(root) === '/';
  const dir = binaryDir(root);
  const chroot = live ? null : findTool('chroot');
  return (backend, command, args) => {
    const label = `${backend} ${command}${args.length > 0 ? ` ${args.join(' ')}` : ''}`;
    if (dir === null) return { command: label, output: null, error: `no iptables in ${root}/usr/sbin or ${root}/sbin` };
    const argv = backendArgv(root, dir, backend, command);
    if (argv === null) return { command: label, output: null, error: `no ${backend} iptables binaries in ${nodePath.join(root, dir)}` };
    const exec = (extra: readonly string[]): { out: string | null; err?: string; shown: string } => {
      const full = [...argv, ...extra];
      const [cmd, rest] = live ? [full[0] as string, full.slice(1)] : [chroot ?? 'chroot', [root, ...full]];
      const shown = [cmd, ...rest].join(' ');
      const r = runTool(cmd, rest, { timeoutMs: 30_000 });
      if (r.error !== undefined) return { out: null, err: r.error, shown };
      if (r.status !== 0) return { out: null, err: r.stderr.trim().split('\n')[0] ?? `exit ${String(r.status)}`, shown };
      return { out: r.stdout, shown };
    };
    const namesFile = command === 'iptables-save' ? '/proc/net/ip_tables_names' : '/proc/net/ip6_tables_names';
    if (!live && backend === 'legacy' && args.length === 0 && !fs.existsSync(nodePath.join(root, namesFile))) {
      const names = readTableNames(namesFile) ?? [];
      let out = '';
      const shown: string[] = [];
      for (const t of names) {
        const r = exec(['-t', t]);
        shown.push(r.shown);
        if (r.out !== null) out += r.out;
      }
      return { command: shown.join('; ') || `${label} (no legacy tables in ${namesFile})`, output: out };
    }
    const r = exec(args);
    return r.err === undefined ? { command: r.shown, output: r.out } : { command: r.shown, output: null, error: r.err };
  };
}
