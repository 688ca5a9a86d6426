// Decodes depmod/kbuild index files: they are ASCII in practice, and ASCII decodes as Latin-1 without UTF-8 validation.
import { isAscii } from 'node:buffer';

/** The file as UTF-8 text; pure ASCII (every real index file) takes the copy-only Latin-1 path, same string either way. */
export function indexText(data: Buffer): string {
  return isAscii(data) ? data.toString('latin1') : data.toString('utf8');
}
