// A copy of this machine's own files that a test can change: in memory, or as a real directory read like a --root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { TestContext } from 'node:test';
import type { HostFs } from '../../src/host/host-fs.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';
import { RootFs } from '../../src/host/root-fs.ts';
import { tempDir } from './fixtures.ts';

/** This machine's own files (its real kernel config, cgroups, mounts, os-release), copied into memory. */
export const HOST_FILES = [
  '/proc/config.gz',
  '/proc/sys/kernel/osrelease',
  '/proc/sys/kernel/arch',
  '/proc/cmdline',
  '/proc/version',
  '/proc/cgroups',
  '/proc/1/mountinfo',
  '/proc/1/stat',
  '/proc/filesystems',
  '/etc/os-release',
];

export const hostFiles = new Map<string, Buffer>();
for (const f of HOST_FILES) {
  try {
    hostFiles.set(f, fs.readFileSync(f));
  } catch {
    // a file this machine lacks is simply absent from the copy, as on such a host
  }
}
export const configText = hostFiles.has('/proc/config.gz') ? zlib.gunzipSync(hostFiles.get('/proc/config.gz') as Buffer).toString('utf8') : '';

/** A copy of this host to change: in memory, or as a real directory read through RootFs like a --root. */
export interface HostCopy {
  readonly fs: HostFs;
  write(p: string, data: Buffer): void;
  remove(p: string): void;
  symlink(p: string, target: string): void;
}

export function memoryCopy(): HostCopy {
  const m = new MemoryFs('copy of this host');
  for (const [p, data] of hostFiles) m.addFile(p, data);
  m.addDir('/etc/modprobe.d');
  m.addDir('/usr/lib/binfmt.d');
  return { fs: m, write: (p, d) => m.addFile(p, d), remove: (p) => m.remove(p), symlink: (p, t) => m.addSymlink(p, t) };
}

/** One directory per test, emptied and filled again for each copy: the facts name paths under it, so it never moves. */
const roots = new WeakMap<TestContext, string>();

export function directoryCopy(t: TestContext): HostCopy {
  let root = roots.get(t);
  if (root === undefined) {
    root = path.join(tempDir(t), 'host');
    roots.set(t, root);
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root);
  const real = (p: string) => path.join(root, p);
  const write = (p: string, d: Buffer) => {
    fs.mkdirSync(path.dirname(real(p)), { recursive: true });
    fs.rmSync(real(p), { force: true });
    fs.writeFileSync(real(p), d);
  };
  for (const [p, data] of hostFiles) write(p, data);
  fs.mkdirSync(real('/etc/modprobe.d'), { recursive: true });
  fs.mkdirSync(real('/usr/lib/binfmt.d'), { recursive: true });
  return {
    fs: new RootFs(root),
    write,
    remove: (p) => fs.rmSync(real(p), { force: true }),
    symlink: (p, target) => {
      fs.rmSync(real(p), { force: true });
      fs.symlinkSync(target, real(p));
    },
  };
}

