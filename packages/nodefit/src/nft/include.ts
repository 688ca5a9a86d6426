// Splices `include "file"` into the token stream, as nft's scanner does, so an include works in any context
// (top level, inside a table block); detects include cycles and bounds depth and file count.
import * as nodePath from 'node:path';
import { tokenize, type Token } from './lexer.ts';
import { NftParseError } from './parse-error.ts';

export interface RulesetReader {
  /** Text of a file; throws (any error) when it cannot be read. */
  readFile(path: string): string;
  /** Names in a directory, for `include "dir/*.nft"`; throws when it cannot be read. */
  readDir(path: string): string[];
  /** Whether the path exists as a file. */
  isFile(path: string): boolean;
  /** A canonical name for cycle detection (realpath on disk). */
  canonical(path: string): string;
}

/** nftables include.h MAX_INCLUDE_DEPTH. */
export const MAX_INCLUDE_DEPTH = 16;
export const MAX_INCLUDED_FILES = 1000;
/** One ruleset file larger than this is refused. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface IncludeOptions {
  readonly reader: RulesetReader;
  /** Extra directories searched for bare include names (nft -I). */
  readonly includeDirs?: readonly string[];
}

function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[\\^$.+()|[\]{}]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/**
 * Where an include points. nft resolves "./x" and "../x" against its working directory and searches bare names in
 * its include path (-I, default sysconfdir): a linter has no such working directory, so both are resolved against
 * the including file's directory first (what `cd $(dirname FILE) && nft -f FILE` does), then the --include-path dirs.
 */
function resolveInclude(name: string, from: Token, opts: IncludeOptions): string[] {
  const here = nodePath.dirname(from.file);
  const candidates = nodePath.isAbsolute(name)
    ? [name]
    : [nodePath.resolve(here, name), ...(name.startsWith('./') || name.startsWith('../') ? [] : (opts.includeDirs ?? []).map((d) => nodePath.resolve(d, name)))];
  const isGlob = /[*?]/.test(nodePath.basename(name));
  if (isGlob) {
    for (const c of candidates) {
      const dir = nodePath.dirname(c);
      let names: string[];
      try {
        names = opts.reader.readDir(dir);
      } catch {
        continue;
      }
      const re = globToRegExp(nodePath.basename(c));
      // nft includes glob matches in alphabetical order; an empty glob match is not an error
      return names.filter((x) => re.test(x)).sort().map((x) => nodePath.join(dir, x)).filter((p) => opts.reader.isFile(p));
    }
    return [];
  }
  for (const c of candidates) if (opts.reader.isFile(c)) return [c];
  throw new NftParseError(from.file, from.line, from.col, `include "${name}": file not found (looked in ${candidates.join(', ')})`);
}

export interface ExpandedTokens {
  readonly tokens: Token[];
  readonly files: string[];
}

export function loadTokens(entry: string, opts: IncludeOptions): ExpandedTokens {
  const files: string[] = [];
  const out: Token[] = [];
  const stack: string[] = [];

  const readOne = (file: string, from: Token | undefined): string => {
    try {
      const text = opts.reader.readFile(file);
      if (text.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      return text;
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e);
      if (from === undefined) throw new NftParseError(file, 1, 1, `cannot read: ${why}`);
      throw new NftParseError(from.file, from.line, from.col, `include "${file}": cannot read: ${why}`);
    }
  };

  const expand = (file: string, from: Token | undefined): void => {
    const canon = opts.reader.canonical(file);
    if (stack.includes(canon)) {
      const at = from as Token;
      const chain = [...stack.slice(stack.indexOf(canon)), canon].map((p) => nodePath.basename(p)).join(' -> ');
      throw new NftParseError(at.file, at.line, at.col, `include cycle: ${chain}`);
    }
    if (stack.length >= MAX_INCLUDE_DEPTH) {
      const at = from as Token;
      throw new NftParseError(at.file, at.line, at.col, `includes nested deeper than ${MAX_INCLUDE_DEPTH}`);
    }
    if (files.length >= MAX_INCLUDED_FILES) {
      const at = from as Token;
      throw new NftParseError(at.file, at.line, at.col, `more than ${MAX_INCLUDED_FILES} files included`);
    }
    files.push(file);
    const toks = tokenize(readOne(file, from), file);
    stack.push(canon);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      const prev = out[out.length - 1];
      const atStatementStart = i === 0 || prev === undefined || prev.kind === 'newline' || prev.kind === 'semi' || prev.kind === 'lbrace' || prev.kind === 'rbrace';
      const next = toks[i + 1];
      if (t.kind === 'word' && t.text === 'include' && atStatementStart && next !== undefined && next.kind === 'string') {
        for (const inc of resolveInclude(next.text, t, opts)) {
          expand(inc, t);
          // an included file's last statement ends where the file ends
          out.push({ kind: 'newline', text: '\n', file: t.file, line: t.line, col: t.col });
        }
        i++;
        continue;
      }
      out.push(t);
    }
    stack.pop();
  };

  expand(entry, undefined);
  return { tokens: out, files };
}
