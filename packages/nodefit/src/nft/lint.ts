// Lints the base chains of a parsed nft ruleset against a target kernel: every chain the kernel will refuse, where it
// is declared, why, and the nearest valid alternative.
import { FAMILY_HOOKS, NAT_PRIORITY_FLOOR, nearestAlternative } from './chain-rules.ts';
import type { ChainDecl, ParsedRuleset, ParseWarning, SourceLoc } from './ruleset.ts';
import type { CellVerdictFn, Verdict } from './target-matrix.ts';

export type LintOutcome = 'pass' | 'fail' | 'unknown';

export interface ChainVerdict {
  readonly family: string;
  readonly table: string;
  readonly chain: string;
  readonly type: string;
  readonly hook: string;
  readonly priority: number | null;
  readonly priorityText: string;
  readonly at: SourceLoc;
  readonly outcome: LintOutcome;
  /** The cell verdict for the target, or "rejected" for a nat priority at or below -200. */
  readonly verdict: Verdict;
  readonly message: string;
  /** Set when outcome is fail. */
  readonly alternative?: string;
  readonly evidenceSource: 'probe' | 'capabilities' | 'rules';
}

export interface LintResult {
  readonly files: readonly string[];
  readonly chains: readonly ChainVerdict[];
  readonly warnings: readonly ParseWarning[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly unknown: number };
}

function chainVerdict(c: ChainDecl, cells: CellVerdictFn): ChainVerdict | undefined {
  const b = c.base;
  if (b === undefined) return undefined;
  const head = {
    family: c.family,
    table: c.table,
    chain: c.name,
    type: b.type,
    hook: b.hook,
    priority: b.priority ?? null,
    priorityText: b.priorityText,
    at: b.at,
  };
  const spec = `table ${c.family} ${c.table} chain ${c.name}: type ${b.type} hook ${b.hook}${b.priorityText === '' ? '' : ` priority ${b.priorityText}`}`;
  const cell = cells(c.family, b.type, b.hook);
  if (cell.verdict === 'rejected' || cell.verdict === 'unsupported') {
    return {
      ...head,
      outcome: 'fail',
      verdict: cell.verdict,
      message:
        `${spec}: ${cell.verdict === 'rejected' ? 'the kernel rejects this base chain' : 'the target kernel does not support this base chain'} (${cell.reason})` +
        // nft turns the kernel's EOPNOTSUPP for a hook outside the type's mask into this misleading message (src/cmd.c)
        ((FAMILY_HOOKS[c.family] ?? []).includes(b.hook) ? `; nft says "Chain of type \\"${b.type}\\" is not supported, perhaps kernel support is missing?"` : ''),
      alternative: nearestAlternative(c.family, b.type, b.hook, b.priority),
      evidenceSource: cell.source,
    };
  }
  if (b.type === 'nat' && b.priority !== undefined && b.priority <= NAT_PRIORITY_FLOOR) {
    return {
      ...head,
      outcome: 'fail',
      verdict: 'rejected',
      message: `${spec}: nat chains need a priority above ${NAT_PRIORITY_FLOOR}, this one is ${b.priority} (nf_tables_api.c refuses with EOPNOTSUPP)`,
      alternative: nearestAlternative(c.family, b.type, b.hook, b.priority),
      evidenceSource: 'rules',
    };
  }
  if (b.priorityError !== undefined) {
    return {
      ...head,
      outcome: 'fail',
      verdict: 'rejected',
      message: `${spec}: ${b.priorityError}`,
      alternative: `write the priority as a number (e.g. ${b.type === 'nat' ? (b.hook === 'postrouting' || b.hook === 'input' ? '100 for srcnat' : '-100 for dstnat') : '0 for filter, -150 for mangle'}) or use a standard name valid on the ${b.hook} hook`,
      evidenceSource: 'rules',
    };
  }
  if (cell.verdict === 'unknown') return { ...head, outcome: 'unknown', verdict: 'unknown', message: `${spec}: cannot tell (${cell.reason})`, evidenceSource: cell.source };
  return { ...head, outcome: 'pass', verdict: 'accepted', message: `${spec}: accepted (${cell.reason})`, evidenceSource: cell.source };
}

export function lintRuleset(parsed: ParsedRuleset, cells: CellVerdictFn): LintResult {
  const chains = parsed.chains.flatMap((c) => chainVerdict(c, cells) ?? []);
  const cmp = (a: SourceLoc, b: SourceLoc) => (a.file === b.file ? a.line - b.line || a.col - b.col : parsed.files.indexOf(a.file) - parsed.files.indexOf(b.file));
  chains.sort((a, b) => cmp(a.at, b.at));
  const count = (o: LintOutcome) => chains.filter((c) => c.outcome === o).length;
  return { files: parsed.files, chains, warnings: parsed.warnings, summary: { pass: count('pass'), fail: count('fail'), unknown: count('unknown') } };
}
