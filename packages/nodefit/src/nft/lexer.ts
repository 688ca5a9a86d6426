// Tokenizer for the parts of nft's input syntax nodefit reads (after nftables src/scanner.l): words, strings,
// variables, braces, separators, comments and backslash line continuations, each with file:line:column.
import { NftParseError } from './parse-error.ts';

export type TokenKind = 'word' | 'string' | 'var' | 'lbrace' | 'rbrace' | 'semi' | 'newline' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** The text: a word as written, a string without its quotes, a variable without "$". */
  readonly text: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters (tabs count as one, as nft counts them). */
  readonly col: number;
}

/** scanner.l's `string` start characters, plus digits (numbers are words here) and the glob/address characters. */
const WORD_START = /[A-Za-z0-9_./*@:]/;
const WORD_CHAR = /[A-Za-z0-9_./*@:\-%~]/;

/** Past this, a ruleset is not something a person maintains; refuse instead of using unbounded memory. */
export const MAX_TOKENS = 2_000_000;

export function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const push = (kind: TokenKind, t: string, at: number, atLine: number, atLineStart: number) => {
    if (out.length >= MAX_TOKENS) throw new NftParseError(file, atLine, at - atLineStart + 1, `more than ${MAX_TOKENS} tokens`);
    out.push({ kind, text: t, file, line: atLine, col: at - atLineStart + 1 });
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      // line continuation: the statement goes on, the line count does not stop
      i += text[i + 1] === '\n' ? 2 : 3;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '\n') {
      push('newline', '\n', i, line, lineStart);
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      const startLine = line;
      const startLineStart = lineStart;
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\n') throw new NftParseError(file, startLine, start - startLineStart + 1, 'unterminated string');
        i++;
      }
      if (i >= n) throw new NftParseError(file, startLine, start - startLineStart + 1, 'unterminated string');
      push('string', text.slice(start + 1, i), start, startLine, startLineStart);
      i++;
      continue;
    }
    if (c === '$') {
      const start = i;
      i++;
      while (i < n && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
      push('var', text.slice(start + 1, i), start, line, lineStart);
      continue;
    }
    if (c === '{') {
      push('lbrace', c, i, line, lineStart);
      i++;
      continue;
    }
    if (c === '}') {
      push('rbrace', c, i, line, lineStart);
      i++;
      continue;
    }
    if (c === ';') {
      push('semi', c, i, line, lineStart);
      i++;
      continue;
    }
    if (WORD_START.test(c)) {
      const start = i;
      while (i < n && WORD_CHAR.test(text[i] as string)) i++;
      push('word', text.slice(start, i), start, line, lineStart);
      continue;
    }
    push('punct', c, i, line, lineStart);
    i++;
  }
  return out;
}
