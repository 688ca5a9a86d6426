// One error type for malformed packages (ar, cpio, rpm, tar), so every reader fails with one line naming the file.
export class ArchiveError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ArchiveError';
  }
}
