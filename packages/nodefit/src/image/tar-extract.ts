// Feeds a byte stream to tar-stream's extractor so that a failing source (truncated, over a decompression limit)
// ends the extraction with its own error instead of a hang or a vaguer tar error.
import type { Readable } from 'node:stream';
import * as tarStream from 'tar-stream';

export function extractTar(src: Readable): { readonly extract: tarStream.Extract; readonly sourceError: () => unknown } {
  const extract = tarStream.extract();
  let error: unknown;
  src.on('error', (e) => {
    error = e;
    extract.destroy(e);
  });
  src.pipe(extract);
  return { extract, sourceError: () => error };
}
