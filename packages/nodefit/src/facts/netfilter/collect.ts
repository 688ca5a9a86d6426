// STUB: placeholder collector for the netfilter area; its owner replaces it with the real one.
import type { CollectContext } from '../collect-context.ts';
import { unknown } from '../fact.ts';
import type { NetfilterFacts } from './schema.ts';

export function collectNetfilter(_ctx: CollectContext): NetfilterFacts {
  const todo = unknown([], 'not collected yet');
  return {
    legacyTablesV4: todo,
    legacyTablesV6: todo,
    nfTablesActive: todo,
    iptables: todo,
    nft: todo,
    brNetfilter: todo,
    sysctls: todo,
  };
}
