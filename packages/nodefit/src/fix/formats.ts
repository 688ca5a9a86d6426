// The `nodefit fix --format` choices, in a module light enough for the CLI to import before it loads anything heavy.
import { UserError } from '../cli/user-error.ts';

export const FIX_FORMATS = ['bottlerocket', 'modules-load', 'binfmt', 'cmdline'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

export function parseFixFormat(f: unknown): FixFormat {
  if (typeof f === 'string' && (FIX_FORMATS as readonly string[]).includes(f)) return f as FixFormat;
  throw new UserError(`unknown --format ${JSON.stringify(f)}; choose one of ${FIX_FORMATS.join(', ')}`);
}
