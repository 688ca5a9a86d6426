// What one layer (or a plain rootfs tarball) reads as: whiteouts, links and metadata for every file, contents only
// for what keep-policy.ts asks for; and the rule that refuses hostile names (`../`, absolute paths).
import { UserError } from '../cli/user-error.ts';

export type LayerEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly mode: number; readonly data?: Buffer; readonly head?: Buffer }
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'hardlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'opaque'; readonly path: string };

export interface ParsedLayer {
  readonly entries: LayerEntry[];
  /** sha256 of the bytes as stored (the blob digest). */
  readonly rawDigest: string;
  /** sha256 of the uncompressed tar (the diff_id). */
  readonly diffId: string;
}

/** Real layers hold tens of thousands of entries; a million tiny headers is an attack on memory, not an image. */
export const MAX_LAYER_ENTRIES = 1_000_000;

/** "/a/b" from a tar name; refuses absolute names and any `..` component (a hostile layer could escape the root). */
export function normalizeEntryPath(name: string, where: string): string {
  if (name.startsWith('/')) throw new UserError(`${where}: tar entry "${name}" has an absolute path; refusing the archive`);
  const parts: string[] = [];
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw new UserError(`${where}: tar entry "${name}" contains "..", which would escape the image root; refusing the archive`);
    parts.push(c);
  }
  return '/' + parts.join('/');
}
