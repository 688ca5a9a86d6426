// STUB: placeholder collector for the kernel area; its owner replaces it with the real one.
import type { CollectContext } from '../collect-context.ts';
import { unknown, type Fact } from '../fact.ts';
import type { KernelConfig, KernelFacts } from './schema.ts';

export function collectKernel(_ctx: CollectContext): KernelFacts {
  const todo = unknown([], 'not collected yet');
  return {
    release: todo,
    version: todo,
    cmdline: todo,
    config: todo,
  };
}

/** STUB: reads an explicitly given config file (plain or gzip); throws UserError when it is unreadable or corrupt. */
export function readKernelConfigFile(path: string): Fact<KernelConfig> {
  return unknown([path], 'not implemented yet');
}
