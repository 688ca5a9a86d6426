// STUB: placeholder collector for the binfmt area; its owner replaces it with the real one.
import type { CollectContext } from '../collect-context.ts';
import { unknown } from '../fact.ts';
import type { BinfmtFacts } from './schema.ts';

export function collectBinfmt(_ctx: CollectContext): BinfmtFacts {
  const todo = unknown([], 'not collected yet');
  return {
    supported: todo,
    mounts: todo,
    enabled: todo,
    entries: todo,
    config: todo,
    bootMount: todo,
  };
}
