// A `strings`-style scan of a binary: the plain reference the tests hold the image inspector's faster searches to.

/** Printable ASCII runs (plus tab) of at least minLen characters, in file order. */
export function printableStrings(buf: Uint8Array, minLen = 4): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= buf.length; i++) {
    const c = i < buf.length ? buf[i]! : 0;
    const printable = (c >= 0x20 && c < 0x7f) || c === 0x09;
    if (printable) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= minLen) out.push(Buffer.from(buf.buffer, buf.byteOffset + start, i - start).toString('latin1'));
      start = -1;
    }
  }
  return out;
}
