// The target options every command shares (--root, --snapshot, --kernel-config, --modules, --kernel-package).
import type { Command } from 'commander';
import type { TargetSpec } from '../targets/target-spec.ts';
import { UserError } from './user-error.ts';

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--root <DIR>', 'read a host root mounted at DIR (a DaemonSet sees the host at /host)')
    .option('--snapshot <FILE>', 'read facts from a snapshot written by `nodefit scan`')
    .option('--kernel-config <FILE>', 'kernel config file (plain or gzip), e.g. /boot/config-6.1.0-27-amd64')
    .option('--modules <DIR>', 'a /lib/modules/<release> tree')
    .option('--kernel-package <FILE>', 'a kernel package (.deb or .rpm), read in place');
}

interface TargetOptions {
  root?: string;
  snapshot?: string;
  kernelConfig?: string;
  modules?: string;
  kernelPackage?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function targetSpecFromOptions(raw: Record<string, unknown>): TargetSpec {
  const o: TargetOptions = {
    root: str(raw.root),
    snapshot: str(raw.snapshot),
    kernelConfig: str(raw.kernelConfig),
    modules: str(raw.modules),
    kernelPackage: str(raw.kernelPackage),
  };
  const bases = [o.root && '--root', o.snapshot && '--snapshot', o.kernelPackage && '--kernel-package'].filter(Boolean);
  if (bases.length > 1) throw new UserError(`choose one of ${bases.join(', ')}: they name different targets`);
  const extra = { kernelConfig: o.kernelConfig, modulesDir: o.modules };
  if (o.snapshot !== undefined) return { base: { kind: 'snapshot', file: o.snapshot }, ...extra };
  if (o.kernelPackage !== undefined) return { base: { kind: 'kernel-package', file: o.kernelPackage }, ...extra };
  if (o.root !== undefined) return { base: { kind: 'root', dir: o.root }, ...extra };
  if (o.kernelConfig !== undefined || o.modules !== undefined) return { base: { kind: 'offline' }, ...extra };
  return { base: { kind: 'live' } };
}

/** Repeatable, comma-separable list option (`-w cilium -w calico` or `-w cilium,calico`), safe next to positionals. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}
