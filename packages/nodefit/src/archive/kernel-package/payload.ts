// Streams a kernel package's file payload once, in place: a .deb's data.tar.* (ar member) or an RPM's cpio payload,
// each through the right decompressor under limits, into an EntrySink. Nothing is extracted to disk.
import * as nodeFs from 'node:fs';
import { listArFile } from '../ar.ts';
import { ArchiveError } from '../archive-error.ts';
import { CpioScanner } from '../cpio.ts';
import type { EntrySink } from '../entry.ts';
import type { DecompressLimits } from '../limits.ts';
import { decompressRange } from '../range-decompress.ts';
import { readRpmLayout } from '../rpm.ts';
import { TarScanner } from '../tar-scan.ts';
import { withPackageFile } from '../package-file.ts';

export type PackageKind = 'deb' | 'rpm';

/** Decompression limits for one package payload: a kernel's data.tar is ~0.4 GB and compresses 3-6x. */
export const PACKAGE_LIMITS = { maxOutputBytes: 4 * 1024 * 1024 * 1024, maxRatio: 40, ratioFloorBytes: 64 * 1024 * 1024 } as const;

export interface PayloadInfo {
  readonly kind: PackageKind;
  /** Package name and version from the control file or RPM header, when readable. */
  readonly name?: string;
  readonly version?: string;
  readonly compression: string;
}

/** .deb or .rpm by magic (never by extension alone). */
export function packageKind(file: string): PackageKind {
  return withPackageFile(file, (fd, stat) => {
    if (stat.isDirectory()) throw new ArchiveError(file, 'is a directory, not a kernel package');
    const b = Buffer.alloc(8);
    const n = nodeFs.readSync(fd, b, 0, 8, 0);
    if (n === 8 && b.toString('latin1') === '!<arch>\n') return 'deb';
    if (n >= 4 && b[0] === 0xed && b[1] === 0xab && b[2] === 0xee && b[3] === 0xdb) return 'rpm';
    throw new ArchiveError(file, 'not a kernel package: neither a .deb (ar archive) nor an .rpm (no lead magic)');
  });
}

async function pump(chunks: AsyncIterable<Buffer>, scanner: { push(b: Buffer): void; end(): void; readonly ended: boolean }): Promise<void> {
  for await (const c of chunks) {
    if (scanner.ended) continue; // drain: trailing padding after the end marker
    scanner.push(c);
  }
  scanner.end();
}

function controlField(control: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:\\s*(.+)$`, 'm').exec(control);
  return m?.[1]?.trim();
}

async function readDebControl(file: string, member: { name: string; offset: number; size: number }, limits: DecompressLimits): Promise<string | undefined> {
  let control: string | undefined;
  const sink: EntrySink = {
    want: (e) => (e.path === 'control' ? 1024 * 1024 : 0),
    entry: (e, data) => {
      if (e.path === 'control' && data !== undefined) control = data.toString('utf8');
    },
  };
  const name = `${file} (${member.name})`;
  const { chunks } = decompressRange(file, member.offset, member.size, { ...limits, maxOutputBytes: 256 * 1024 * 1024, name });
  await pump(chunks, new TarScanner(sink, name));
  return control;
}

export async function streamPayload(file: string, sink: EntrySink, limits: DecompressLimits = { ...PACKAGE_LIMITS, name: file }): Promise<PayloadInfo> {
  const kind = packageKind(file);
  if (kind === 'deb') {
    const members = listArFile(file);
    if (members[0]?.name !== 'debian-binary') throw new ArchiveError(file, 'ar archive is not a Debian package (first member is not debian-binary)');
    const data = members.find((m) => m.name.startsWith('data.tar'));
    if (data === undefined) throw new ArchiveError(file, 'Debian package has no data.tar member');
    const controlMember = members.find((m) => m.name.startsWith('control.tar'));
    const control = controlMember === undefined ? undefined : await readDebControl(file, controlMember, limits);
    const name = `${file} (${data.name})`;
    const { format, chunks } = decompressRange(file, data.offset, data.size, { ...limits, name });
    await pump(chunks, new TarScanner(sink, name));
    const pkg = control === undefined ? undefined : controlField(control, 'Package');
    const version = control === undefined ? undefined : controlField(control, 'Version');
    return { kind, compression: format, ...(pkg !== undefined ? { name: pkg } : {}), ...(version !== undefined ? { version } : {}) };
  }
  const layout = readRpmLayout(file);
  if (layout.format !== undefined && layout.format !== 'cpio') throw new ArchiveError(file, `RPM payload format "${layout.format}" is not supported (only cpio)`);
  const name = `${file} (payload)`;
  const { format, chunks } = decompressRange(file, layout.payloadOffset, layout.payloadSize, { ...limits, name });
  await pump(chunks, new CpioScanner(sink, name));
  const version = layout.version === undefined ? undefined : layout.release === undefined ? layout.version : `${layout.version}-${layout.release}`;
  return { kind, compression: format, ...(layout.name !== undefined ? { name: layout.name } : {}), ...(version !== undefined ? { version } : {}) };
}
