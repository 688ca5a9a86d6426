// The `nodefit fix --format` choices, in a module light enough for the CLI to import before it loads anything heavy.
import { UserError } from '../cli/user-error.ts';
import type { FixAction } from '../engine/fix-action.ts';
import type { OsFamily } from '../facts/os/schema.ts';

export const FIX_FORMATS = ['bottlerocket', 'modules-load', 'binfmt', 'cmdline', 'sysctl'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

/**
 * The action kinds each format writes as configuration (anything else it names in comments only). Bottlerocket has
 * no binfmt.d, so handlers are registered from a container there; keeping binfmt_misc mounted is a mount unit or an
 * fstab line, which the binfmt file only explains.
 */
export const FORMAT_WRITES: Readonly<Record<FixFormat, readonly FixAction['kind'][]>> = {
  bottlerocket: ['load-module', 'sysctl', 'kernel-cmdline'],
  'modules-load': ['load-module'],
  binfmt: ['binfmt-register'],
  cmdline: ['kernel-cmdline'],
  sysctl: ['sysctl'],
};

/**
 * The formats that write an action of this kind for a target of this OS family, for pointing at the right one:
 * Bottlerocket reads only its settings, and other systems none of them.
 */
export function formatsWriting(kind: FixAction['kind'], family: OsFamily): FixFormat[] {
  const all = FIX_FORMATS.filter((f) => FORMAT_WRITES[f].includes(kind));
  return family === 'bottlerocket' ? all.filter((f) => f === 'bottlerocket') : all.filter((f) => f !== 'bottlerocket');
}

export function parseFixFormat(f: unknown): FixFormat {
  if (typeof f === 'string' && (FIX_FORMATS as readonly string[]).includes(f)) return f as FixFormat;
  throw new UserError(`unknown --format ${JSON.stringify(f)}; choose one of ${FIX_FORMATS.join(', ')}`);
}
