// STUB: placeholder collector for the os area; its owner replaces it with the real one.
import type { CollectContext } from '../collect-context.ts';
import { unknown } from '../fact.ts';
import type { OsFacts } from './schema.ts';

export function collectOs(_ctx: CollectContext): OsFacts {
  const todo = unknown([], 'not collected yet');
  return {
    release: todo,
    arch: todo,
  };
}
