// Reads a file synchronously in big pieces into one reused buffer: no allocation and no event-loop round trip per
// read, which for a 100 MB image costs more than the reads themselves. The consumer must be done with a piece (or have
// copied what it keeps) before it asks for the next one.
import * as nodeFs from 'node:fs';

/** Big pieces keep per-piece costs (hash calls, tar walk) negligible beside the hashing. */
export const READ_BYTES = 1024 * 1024;

export function* fileChunks(file: string, readBytes = READ_BYTES): Generator<Buffer> {
  const fd = nodeFs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(readBytes);
    for (let n = nodeFs.readSync(fd, buf, 0, readBytes, null); n > 0; n = nodeFs.readSync(fd, buf, 0, readBytes, null)) yield buf.subarray(0, n);
  } finally {
    nodeFs.closeSync(fd);
  }
}
