// STUB: placeholder collector for the cgroups area; its owner replaces it with the real one.
import type { CollectContext } from '../collect-context.ts';
import { unknown } from '../fact.ts';
import type { KernelFacts } from '../kernel/schema.ts';
import type { CgroupFacts } from './schema.ts';

export function collectCgroups(_ctx: CollectContext, _kernel: KernelFacts): CgroupFacts {
  const todo = unknown([], 'not collected yet');
  return {
    mode: todo,
    hierarchies: todo,
    procCgroups: todo,
    v2Controllers: todo,
    v2SubtreeControl: todo,
    cmdline: todo,
  };
}
