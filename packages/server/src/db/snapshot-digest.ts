// The content digest that tells a resent snapshot from a new one: sha256 of the stored body's UTF-8 bytes.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';

export function digestOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The same digest from the bytes an agent uploaded, without encoding the decoded text back to UTF-8: when the bytes
 * are valid UTF-8 and carry no byte-order mark, decoding them is lossless and they are exactly the stored body's
 * UTF-8. Anything else (a BOM the decoder drops, invalid sequences it replaces) falls back to the decoded text.
 */
export function digestOfUpload(bytes: Uint8Array, text: string): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bom || !isUtf8(bytes) ? digestOf(text) : createHash('sha256').update(bytes).digest('hex');
}
