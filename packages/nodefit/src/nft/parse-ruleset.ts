// Parser for the declarations in an nft ruleset (`nft -f` syntax, after nftables src/parser_bison.y): tables, chains
// and their `type … hook … [device …] priority …; policy …;` specs, `define`/`redefine`/`undefine` variables and
// includes. Rules, sets, maps and everything else are skipped by balanced braces, never interpreted.
// Throws only NftParseError (file:line:column), for input nft itself would refuse to read at all.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { loadTokens, type IncludeOptions, type RulesetReader } from './include.ts';
import type { Token } from './lexer.ts';
import { NftParseError } from './parse-error.ts';
import { evaluatePriority } from './priorities.ts';
import { NFT_FAMILY_NAMES, type BaseChainSpec, type ChainDecl, type ParsedRuleset, type ParseWarning, type SourceLoc } from './ruleset.ts';

const FAMILIES: ReadonlySet<string> = new Set(NFT_FAMILY_NAMES);

function loc(t: Token): SourceLoc {
  return { file: t.file, line: t.line, col: t.col };
}

class Parser {
  private i = 0;
  private readonly vars = new Map<string, Token[]>();
  readonly chains: ChainDecl[] = [];
  readonly warnings: ParseWarning[] = [];

  constructor(private readonly toks: readonly Token[]) {}

  private peek(o = 0): Token | undefined {
    return this.toks[this.i + o];
  }

  private isSep(t: Token | undefined): boolean {
    return t !== undefined && (t.kind === 'newline' || t.kind === 'semi');
  }

  private isWord(t: Token | undefined, text?: string): boolean {
    return t !== undefined && t.kind === 'word' && (text === undefined || t.text === text);
  }

  /**
   * Consumes one statement: up to a newline or ";" outside braces, or up to (not including) the "}" that closes the
   * enclosing block. Braces inside (anonymous sets, verdict maps, set bodies) are balanced.
   */
  private skipStatement(): void {
    const open: Token[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined) {
        const o = open[open.length - 1];
        if (o !== undefined) throw new NftParseError(o.file, o.line, o.col, "'{' is never closed");
        return;
      }
      if (open.length === 0 && (this.isSep(t) || t.kind === 'rbrace')) return;
      this.i++;
      if (t.kind === 'lbrace') open.push(t);
      else if (t.kind === 'rbrace') open.pop();
    }
  }

  private skipSeps(): void {
    while (this.isSep(this.peek())) this.i++;
  }

  /** A name: word, string or variable (expanded). */
  private name(): Token | undefined {
    const t = this.peek();
    if (t === undefined || !(t.kind === 'word' || t.kind === 'string' || t.kind === 'var')) return undefined;
    this.i++;
    if (t.kind === 'var') {
      const v = this.vars.get(t.text);
      const first = v?.[0];
      return first === undefined ? t : { ...first, file: t.file, line: t.line, col: t.col };
    }
    return t;
  }

  /** `[family] name`: the family is optional (default ip), so a family word followed by another name is the family. */
  private familyAndName(): { family: string; name: Token } | undefined {
    const a = this.peek();
    const b = this.peek(1);
    if (a !== undefined && a.kind === 'word' && FAMILIES.has(a.text) && b !== undefined && (b.kind === 'word' || b.kind === 'string' || b.kind === 'var')) {
      this.i++;
      const name = this.name();
      return name === undefined ? undefined : { family: a.text, name };
    }
    const name = this.name();
    return name === undefined ? undefined : { family: 'ip', name };
  }

  parse(): void {
    for (;;) {
      this.skipSeps();
      const t = this.peek();
      if (t === undefined) return;
      if (t.kind === 'rbrace') throw new NftParseError(t.file, t.line, t.col, "unexpected '}' outside any block");
      if (t.kind !== 'word') {
        this.skipStatement();
        continue;
      }
      switch (t.text) {
        case 'define':
        case 'redefine':
          this.parseDefine();
          break;
        case 'undefine': {
          this.i++;
          const n = this.peek();
          if (n !== undefined && n.kind === 'word') this.vars.delete(n.text);
          this.skipStatement();
          break;
        }
        case 'table':
          this.i++;
          this.parseTableCommand();
          break;
        case 'chain':
          this.i++;
          this.parseChainCommand();
          break;
        case 'add':
        case 'create': {
          const next = this.peek(1);
          if (this.isWord(next, 'table')) {
            this.i += 2;
            this.parseTableCommand();
          } else if (this.isWord(next, 'chain')) {
            this.i += 2;
            this.parseChainCommand();
          } else this.skipStatement();
          break;
        }
        default:
          this.skipStatement();
      }
    }
  }

  private parseDefine(): void {
    const kw = this.peek() as Token;
    this.i++;
    const n = this.peek();
    if (n === undefined || n.kind !== 'word') throw new NftParseError(kw.file, kw.line, kw.col, `${kw.text} needs a variable name`);
    this.i++;
    const eq = this.peek();
    if (eq === undefined || eq.kind !== 'punct' || eq.text !== '=') {
      const at = eq ?? n;
      throw new NftParseError(at.file, at.line, at.col, `expected "=" after ${kw.text} ${n.text}`);
    }
    this.i++;
    const start = this.i;
    this.skipStatement();
    const value: Token[] = [];
    for (const t of this.toks.slice(start, this.i)) {
      if (t.kind === 'var') value.push(...(this.vars.get(t.text) ?? [t]));
      else value.push(t);
    }
    this.vars.set(n.text, value);
  }

  private parseTableCommand(): void {
    const fn = this.familyAndName();
    if (fn === undefined) {
      this.skipStatement();
      return;
    }
    if (this.peek()?.kind === 'lbrace') this.parseTableBlock(fn.family, fn.name.text);
    else this.skipStatement();
  }

  private parseTableBlock(family: string, table: string): void {
    const open = this.peek() as Token;
    this.i++;
    for (;;) {
      this.skipSeps();
      const t = this.peek();
      if (t === undefined) throw new NftParseError(open.file, open.line, open.col, `table ${table}: '{' is never closed`);
      if (t.kind === 'rbrace') {
        this.i++;
        return;
      }
      if (this.isWord(t, 'chain')) {
        this.i++;
        const name = this.name();
        if (name === undefined) {
          this.skipStatement();
          continue;
        }
        if (this.peek()?.kind === 'lbrace') this.parseChainBlock(family, table, name, 'block');
        else this.skipStatement();
        continue;
      }
      if (this.isWord(t, 'define') || this.isWord(t, 'redefine')) {
        this.parseDefine();
        continue;
      }
      this.skipStatement();
    }
  }

  /** `[family] table name [{ … }]` after `chain` / `add chain` / `create chain`. */
  private parseChainCommand(): void {
    const fn = this.familyAndName();
    const name = fn === undefined ? undefined : this.name();
    if (fn === undefined || name === undefined) {
      this.skipStatement();
      return;
    }
    if (this.peek()?.kind === 'lbrace') this.parseChainBlock(fn.family, fn.name.text, name, 'command');
    else {
      this.chains.push({ family: fn.family, table: fn.name.text, name: name.text, at: loc(name), form: 'command', base: undefined, policy: undefined });
      this.skipStatement();
    }
  }

  private parseChainBlock(family: string, table: string, name: Token, form: 'block' | 'command'): void {
    const open = this.peek() as Token;
    this.i++;
    let base: BaseChainSpec | undefined;
    let policy: string | undefined;
    for (;;) {
      this.skipSeps();
      const t = this.peek();
      if (t === undefined) throw new NftParseError(open.file, open.line, open.col, `chain ${name.text}: '{' is never closed`);
      if (t.kind === 'rbrace') {
        this.i++;
        break;
      }
      if (this.isWord(t, 'type') && base === undefined) {
        base = this.parseHookSpec(family);
        continue;
      }
      if (this.isWord(t, 'policy')) {
        this.i++;
        policy = this.name()?.text;
        this.skipStatement();
        continue;
      }
      this.skipStatement();
    }
    this.chains.push({ family, table, name: name.text, at: loc(name), form, base, policy });
  }

  /** Words of the statement up to a separator / "}" / `policy`, with variables expanded; consumes them. */
  private specWords(stopAt: ReadonlySet<string>): Token[] {
    const out: Token[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined || this.isSep(t) || t.kind === 'rbrace') return out;
      if (t.kind === 'word' && stopAt.has(t.text)) return out;
      if (t.kind === 'lbrace') {
        const start = this.i;
        // `devices = { a, b }`: keep the names inside
        let depth = 0;
        for (;;) {
          const u = this.peek();
          if (u === undefined) throw new NftParseError(t.file, t.line, t.col, "'{' is never closed");
          this.i++;
          if (u.kind === 'lbrace') depth++;
          else if (u.kind === 'rbrace' && --depth === 0) break;
        }
        out.push(...this.toks.slice(start, this.i));
        continue;
      }
      this.i++;
      if (t.kind === 'var') {
        const v = this.vars.get(t.text);
        if (v === undefined) out.push(t);
        else out.push(...v.map((x) => ({ ...x, file: t.file, line: t.line, col: t.col })));
      } else out.push(t);
    }
  }

  /**
   * parser_bison.y: `hook_spec : TYPE STRING HOOK STRING dev_spec prio_spec`, `prio_spec : PRIORITY extended_prio_spec`,
   * `extended_prio_spec : int_num | variable_expr | extended_prio_name [PLUS|DASH NUM]`. Anything it does not
   * understand becomes a warning rather than an error: the linter only needs type, hook, devices and priority.
   */
  private parseHookSpec(family: string): BaseChainSpec | undefined {
    const typeKw = this.peek() as Token;
    this.i++;
    const typeTok = this.name();
    const hookKw = this.peek();
    if (typeTok === undefined || !this.isWord(hookKw, 'hook')) {
      this.warnings.push({ at: loc(typeKw), message: 'chain type without "hook": not a base chain nft can load' });
      this.skipStatement();
      return undefined;
    }
    this.i++;
    const hookTok = this.name();
    if (hookTok === undefined) {
      this.warnings.push({ at: loc(hookKw as Token), message: '"hook" without a hook name' });
      this.skipStatement();
      return undefined;
    }
    const devices: string[] = [];
    let priorityWords: Token[] = [];
    let priorityAt: SourceLoc | undefined;
    for (;;) {
      const t = this.peek();
      if (t === undefined || this.isSep(t) || t.kind === 'rbrace') break;
      if (this.isWord(t, 'device') || this.isWord(t, 'devices')) {
        this.i++;
        for (const w of this.specWords(new Set(['priority', 'policy']))) {
          if ((w.kind === 'word' || w.kind === 'string' || w.kind === 'var') && w.text !== '') devices.push(w.kind === 'var' ? `$${w.text}` : w.text);
        }
        continue;
      }
      if (this.isWord(t, 'priority')) {
        this.i++;
        priorityAt = this.peek() === undefined ? loc(t) : loc(this.peek() as Token);
        priorityWords = this.specWords(new Set(['policy', 'device', 'devices']));
        continue;
      }
      if (this.isWord(t, 'policy')) break;
      this.warnings.push({ at: loc(t), message: `unexpected "${t.text}" in the chain's hook specification` });
      this.skipStatement();
      break;
    }
    const priorityText = priorityWords
      .map((w) => (w.kind === 'var' ? `$${w.text}` : w.text))
      .join(' ')
      .replace(/^- (?=\d)/, '-');
    let priority: number | undefined;
    let priorityError: string | undefined;
    if (priorityWords.length === 0) {
      priorityError = 'base chain without a priority (nft requires one)';
    } else if (priorityWords.some((w) => w.kind === 'var')) {
      priorityError = `priority "${priorityText}" uses an undefined variable`;
    } else {
      const v = evaluatePriority(
        priorityWords.map((w) => w.text),
        family,
        hookTok.text,
      );
      if (v.ok) priority = v.value;
      else if (v.nftRefuses) priorityError = v.reason;
      else this.warnings.push({ at: priorityAt ?? loc(hookTok), message: v.reason });
    }
    const spec = { type: typeTok.text, hook: hookTok.text, at: loc(typeKw), hookAt: loc(hookTok), priority, priorityText, priorityAt, devices };
    return priorityError === undefined ? spec : { ...spec, priorityError };
  }
}

export interface ParseOptions {
  readonly includeDirs?: readonly string[];
  /** How files are read; defaults to the real filesystem. */
  readonly reader?: RulesetReader;
}

export const diskReader: RulesetReader = {
  readFile: (p) => {
    const st = fs.statSync(p);
    if (!st.isFile()) throw new Error('not a regular file');
    return fs.readFileSync(p, 'utf8');
  },
  readDir: (p) => fs.readdirSync(p),
  isFile: (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  canonical: (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return nodePath.resolve(p);
    }
  },
};

/** Parses an nft ruleset file and everything it includes. */
export function parseRulesetFile(file: string, opts: ParseOptions = {}): ParsedRuleset {
  const io: IncludeOptions = { reader: opts.reader ?? diskReader, includeDirs: opts.includeDirs };
  const { tokens, files } = loadTokens(file, io);
  const p = new Parser(tokens);
  p.parse();
  return { files, chains: p.chains, warnings: p.warnings };
}

/** Parses ruleset text with no includes allowed outside the given files map (for tests and in-memory input). */
export function parseRulesetText(text: string, name = '<input>', others: Readonly<Record<string, string>> = {}): ParsedRuleset {
  const files: Record<string, string> = { [name]: text, ...others };
  const reader: RulesetReader = {
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw new Error('no such file');
      return t;
    },
    readDir: (d) => Object.keys(files).filter((f) => nodePath.dirname(f) === d).map((f) => nodePath.basename(f)),
    isFile: (p) => Object.hasOwn(files, p),
    canonical: (p) => nodePath.normalize(p),
  };
  return parseRulesetFile(name, { reader });
}
