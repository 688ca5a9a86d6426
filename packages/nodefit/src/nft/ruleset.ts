// What nodefit keeps of a parsed nft ruleset: tables and chain declarations with their base-chain specs and locations.

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const NFT_FAMILY_NAMES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'] as const;

export interface BaseChainSpec {
  /** As written (after variable expansion): normally filter, nat or route. */
  readonly type: string;
  readonly hook: string;
  /** Where `type` starts: the location every finding about this base chain points at. */
  readonly at: SourceLoc;
  readonly hookAt: SourceLoc;
  /** Evaluated priority; undefined when it could not be evaluated (unknown name, undefined variable, missing). */
  readonly priority: number | undefined;
  /** The priority as written, e.g. "mangle - 10", "-160", "$prio". */
  readonly priorityText: string;
  readonly priorityAt: SourceLoc | undefined;
  /** Set when nft itself refuses the priority (unknown name, a name not valid on this hook, none given). */
  readonly priorityError?: string;
  /** `device eth0` / `devices = { a, b }`. */
  readonly devices: readonly string[];
}

export interface ChainDecl {
  readonly family: string;
  readonly table: string;
  readonly name: string;
  /** Location of the chain's name. */
  readonly at: SourceLoc;
  /** "block": inside `table … { chain … { } }`; "command": `add chain …` / `chain fam table name { … }` at top level. */
  readonly form: 'block' | 'command';
  readonly base: BaseChainSpec | undefined;
  readonly policy: string | undefined;
}

export interface ParseWarning {
  readonly at: SourceLoc;
  readonly message: string;
}

export interface ParsedRuleset {
  /** Every file read, entry first, in reading order. */
  readonly files: readonly string[];
  readonly chains: readonly ChainDecl[];
  readonly warnings: readonly ParseWarning[];
}

export function formatLoc(l: SourceLoc): string {
  return `${l.file}:${l.line}:${l.col}`;
}
