// The MemoryFs a kernel package becomes: evidence names the package ("linux-image….deb:/boot/config-6.1.0-27-amd64"),
// and files nodefit made itself (a derived modules.dep) say so in their source.
import * as nodePath from 'node:path';
import { MemoryFs } from '../../host/memory-fs.ts';

export class PackageFs extends MemoryFs {
  private readonly notes = new Map<string, string>();

  constructor(readonly packageFile: string) {
    super(`kernel package ${packageFile}`);
  }

  /** Marks a path as produced by nodefit rather than shipped, with a note shown wherever it is cited. */
  noteDerived(path: string, note: string): void {
    this.notes.set(path, note);
  }

  override display(path: string): string {
    const shown = `${nodePath.basename(this.packageFile)}:${path}`;
    const note = this.notes.get(path);
    return note === undefined ? shown : `${shown} (${note})`;
  }
}
