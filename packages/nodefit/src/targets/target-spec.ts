// What the user pointed nodefit at: the live host, a mounted root, a saved snapshot, or offline kernel inputs.
export type BaseTarget =
  | { readonly kind: 'live' }
  | { readonly kind: 'root'; readonly dir: string }
  | { readonly kind: 'snapshot'; readonly file: string }
  | { readonly kind: 'kernel-package'; readonly file: string }
  /** Only offline kernel inputs were given (--kernel-config and/or --modules). */
  | { readonly kind: 'offline' };

export interface TargetSpec {
  readonly base: BaseTarget;
  /** --kernel-config FILE: replaces (or, offline, provides) the kernel config. Plain or gzip. */
  readonly kernelConfig?: string;
  /** --modules DIR: a /lib/modules/<release> tree that replaces (or provides) the module facts. */
  readonly modulesDir?: string;
}

export function describeTarget(spec: TargetSpec): string {
  const parts: string[] = [];
  switch (spec.base.kind) {
    case 'live':
      parts.push('this host (/)');
      break;
    case 'root':
      parts.push(`root ${spec.base.dir}`);
      break;
    case 'snapshot':
    case 'kernel-package':
      parts.push(spec.base.file);
      break;
    case 'offline':
      break;
  }
  if (spec.kernelConfig !== undefined) parts.push(`kernel config ${spec.kernelConfig}`);
  if (spec.modulesDir !== undefined) parts.push(`modules ${spec.modulesDir}`);
  return parts.join(', ');
}
