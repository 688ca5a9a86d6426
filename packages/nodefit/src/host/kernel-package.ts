// STUB: reads a kernel package (.deb / .rpm) in place into a MemoryFs; issue #5 replaces this.
import { UserError } from '../cli/user-error.ts';
import type { MemoryFs } from './memory-fs.ts';

export interface KernelPackageTree {
  readonly fs: MemoryFs;
  /** The kernel release the package installs, e.g. "6.1.0-27-amd64". */
  readonly release: string;
}

export function readKernelPackage(file: string): Promise<KernelPackageTree> {
  return Promise.reject(new UserError(`${file}: kernel packages are not supported yet`));
}
