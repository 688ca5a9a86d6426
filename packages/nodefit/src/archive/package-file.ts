// Opens a package file for positional reads (the payload stays on disk) and always closes it; a file that cannot be
// opened is an ArchiveError naming it.
import * as nodeFs from 'node:fs';
import { ArchiveError } from './archive-error.ts';

export function withPackageFile<T>(path: string, use: (fd: number, stat: nodeFs.Stats) => T): T {
  let fd: number;
  try {
    fd = nodeFs.openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArchiveError(path, code === 'ENOENT' ? 'no such file' : `cannot open (${code ?? 'error'})`);
  }
  try {
    return use(fd, nodeFs.fstatSync(fd));
  } finally {
    nodeFs.closeSync(fd);
  }
}
