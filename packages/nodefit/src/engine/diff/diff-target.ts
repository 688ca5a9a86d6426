// Decides what one side of `nodefit diff` is: a snapshot, a host root directory, a kernel package or a kernel config,
// by what the file holds (magic bytes, JSON kind, CONFIG_ lines), the extension only as a tie-breaker.
import * as nodeFs from 'node:fs';
import { UserError } from '../../cli/user-error.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';

export type DiffSideKind = 'snapshot' | 'root' | 'kernel-package' | 'kernel-config';

export function detectSide(path: string): DiffSideKind {
  let st: nodeFs.Stats;
  try {
    st = nodeFs.statSync(path);
  } catch {
    throw new UserError(`${path}: no such file or directory`);
  }
  if (st.isDirectory()) return 'root';
  if (!st.isFile()) throw new UserError(`${path}: not a file or directory`);
  let head: Buffer;
  try {
    const fd = nodeFs.openSync(path, 'r');
    try {
      head = Buffer.alloc(4096);
      head = head.subarray(0, nodeFs.readSync(fd, head, 0, head.length, 0));
    } finally {
      nodeFs.closeSync(fd);
    }
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (head.toString('latin1', 0, 8) === '!<arch>\n') return 'kernel-package';
  if (head[0] === 0xed && head[1] === 0xab && head[2] === 0xee && head[3] === 0xdb) return 'kernel-package';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'kernel-config'; // config.gz (/proc/config.gz copied off a host)
  const text = head.toString('utf8').trimStart();
  if (text.startsWith('{')) return 'snapshot';
  if (/^(# )?CONFIG_[A-Z0-9_]+(=| is not set)/m.test(text) || /Kernel Configuration/.test(text)) return 'kernel-config';
  if (/\.(deb|rpm)$/.test(path)) return 'kernel-package';
  if (/\.json$/.test(path)) return 'snapshot';
  throw new UserError(`${path}: not a snapshot, host root, kernel package (.deb/.rpm) or kernel config`);
}

export function sideSpec(path: string): TargetSpec {
  switch (detectSide(path)) {
    case 'root':
      return { base: { kind: 'root', dir: path } };
    case 'snapshot':
      return { base: { kind: 'snapshot', file: path } };
    case 'kernel-package':
      return { base: { kind: 'kernel-package', file: path } };
    case 'kernel-config':
      return { base: { kind: 'offline' }, kernelConfig: path };
  }
}
