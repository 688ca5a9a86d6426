// Reads a container image without a daemon and without extracting to disk: OCI layout dir, OCI archive, docker-save
// tarball, or a plain rootfs dir/tarball. Archives are streamed once; blobs are checked against their sha256 digests.
import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';

import { UserError } from '../cli/user-error.ts';
import type { MemoryFs } from '../host/memory-fs.ts';
import type { ImageFacts, ImagePlatform } from './image-facts.ts';
import { ImageTree } from './image-tree.ts';
import { inspectImage } from './inspect-image.ts';
import { HEAD_BYTES, keepDecision } from './keep-policy.ts';
import { MAX_JSON, scanArchive, type ArchiveScan } from './archive-scan.ts';
import { normalizeEntryPath, type LayerEntry, type ParsedLayer } from './layer-entries.ts';
import { fileChunks } from './file-chunks.ts';
import { parseLayer } from './layer-reader.ts';

export type ImageFormat = 'oci-layout' | 'oci-archive' | 'docker-archive' | 'rootfs-dir' | 'rootfs-tar';

export interface LoadedImage {
  readonly fs: MemoryFs;
  readonly tree: ImageTree;
  readonly reference: string;
  readonly format: ImageFormat;
  readonly platform: ImagePlatform | null;
  /** Env from the image config (KEY=VALUE). */
  readonly env: readonly string[];
  readonly entrypoint: readonly string[];
  readonly layers: number;
  readonly files: number;
}

export interface LoadImageOptions {
  /** "os/arch[/variant]"; default the machine nodefit runs on. */
  readonly platform?: string;
}

const NODE_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function hostPlatform(): ImagePlatform {
  return { os: 'linux', architecture: NODE_ARCH[process.arch] ?? process.arch };
}

export function parsePlatform(p: string): ImagePlatform {
  const [os, architecture, variant] = p.split('/');
  if (os === undefined || os === '' || architecture === undefined || architecture === '') {
    throw new UserError(`--platform ${p}: expected os/arch[/variant], e.g. linux/arm64`);
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

function platformText(p: ImagePlatform): string {
  return [p.os, p.architecture, p.variant].filter((x) => x !== undefined).join('/');
}

/** Strips a transport prefix the way skopeo names them (oci:, oci-archive:, docker-archive:, dir:). */
function splitRef(ref: string): { path: string; transport?: string } {
  const m = /^(oci|oci-archive|docker-archive|dir|rootfs):(.*)$/.exec(ref);
  if (m === null) return { path: ref };
  // oci:path:tag — drop a trailing :tag that is not part of an existing path.
  let p = m[2]!;
  if (m[1] === 'oci' && !nodeFs.existsSync(p) && p.includes(':')) p = p.slice(0, p.lastIndexOf(':'));
  return { path: p, transport: m[1] };
}

function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new UserError(`${what}: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(`${what}: expected a JSON object`);
  return v as Record<string, unknown>;
}

function descriptors(v: unknown, what: string): Descriptor[] {
  if (!Array.isArray(v)) throw new UserError(`${what}: expected a list of descriptors`);
  return v.map((d, i) => {
    const r = asRecord(d, `${what}[${i}]`);
    if (typeof r.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(r.digest)) {
      throw new UserError(`${what}[${i}]: digest ${JSON.stringify(r.digest)} is not a sha256 digest`);
    }
    return r as unknown as Descriptor;
  });
}

/** Where blobs come from: a layout directory (read on demand) or an archive already streamed once. */
interface BlobSource {
  readonly name: string;
  json(digest: string, what: string): Promise<unknown>;
  layer(digest: string, what: string): Promise<ParsedLayer>;
}

function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

function sha256Digest(buf: Buffer): string {
  return 'sha256:' + createHash('sha256').update(buf).digest('hex');
}

function checkDigest(actual: string, expected: string, what: string): void {
  if (actual !== expected) throw new UserError(`${what}: digest mismatch: content hashes to ${actual}, the manifest says ${expected}`);
}

function dirBlobs(root: string, ref: string): BlobSource {
  const file = (digest: string, what: string): string => {
    const p = nodePath.join(root, blobPath(digest));
    if (!nodeFs.existsSync(p)) throw new UserError(`${ref}: ${what} points at missing blob ${digest}`);
    return p;
  };
  return {
    name: ref,
    json(digest, what) {
      const p = file(digest, what);
      if (nodeFs.statSync(p).size > MAX_JSON) throw new UserError(`${ref}: ${what} ${digest} is larger than ${MAX_JSON} bytes`);
      const buf = nodeFs.readFileSync(p);
      checkDigest(sha256Digest(buf), digest, `${ref}: ${what}`);
      return Promise.resolve(parseJson(buf, `${ref}: ${what} ${digest}`));
    },
    async layer(digest, what) {
      const p = file(digest, what);
      const parsed = await parseLayer(fileChunks(p), `${ref}: ${what} ${digest}`);
      checkDigest(parsed.rawDigest, digest, `${ref}: ${what}`);
      return parsed;
    },
  };
}

function scanBlobs(scan: ArchiveScan, ref: string): BlobSource {
  return {
    name: ref,
    json(digest, what) {
      const rel = blobPath(digest);
      const buf = scan.json.get(rel);
      if (buf === undefined) throw new UserError(`${ref}: ${what} points at missing blob ${digest}`);
      checkDigest(sha256Digest(buf), digest, `${ref}: ${what}`);
      return Promise.resolve(parseJson(buf, `${ref}: ${what} ${digest}`));
    },
    layer(digest, what) {
      const parsed = scan.layers.get(blobPath(digest));
      if (parsed === undefined) return Promise.reject(new UserError(`${ref}: ${what} points at missing blob ${digest}`));
      checkDigest(parsed.rawDigest, digest, `${ref}: ${what}`);
      return Promise.resolve(parsed);
    },
  };
}

function matches(d: Descriptor, want: ImagePlatform): boolean {
  const p = d.platform;
  if (p === undefined) return false;
  if (p.os !== want.os || p.architecture !== want.architecture) return false;
  return want.variant === undefined || p.variant === want.variant;
}

interface Resolved {
  layers: ParsedLayer[];
  platform: ImagePlatform | null;
  env: string[];
  entrypoint: string[];
}

function configFacts(config: unknown, what: string): { platform: ImagePlatform | null; env: string[]; entrypoint: string[]; diffIds: string[] } {
  const c = asRecord(config, what);
  const inner = typeof c.config === 'object' && c.config !== null ? (c.config as Record<string, unknown>) : {};
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const rootfs = typeof c.rootfs === 'object' && c.rootfs !== null ? (c.rootfs as Record<string, unknown>) : {};
  const platform =
    typeof c.architecture === 'string'
      ? {
          os: typeof c.os === 'string' ? c.os : 'linux',
          architecture: c.architecture,
          ...(typeof c.variant === 'string' ? { variant: c.variant } : {}),
        }
      : null;
  return { platform, env: strs(inner.Env), entrypoint: [...strs(inner.Entrypoint), ...strs(inner.Cmd)], diffIds: strs(rootfs.diff_ids) };
}

/** Follows an OCI index (possibly nested) to one image manifest for the wanted platform. */
async function resolveOci(index: unknown, blobs: BlobSource, want: ImagePlatform, wantGiven: boolean): Promise<Resolved> {
  let manifests = descriptors(asRecord(index, `${blobs.name}: index.json`).manifests, `${blobs.name}: index.json manifests`);
  for (let depth = 0; depth < 4; depth++) {
    if (manifests.length === 0) throw new UserError(`${blobs.name}: the index lists no manifests`);
    const withPlatform = manifests.filter((d) => d.platform !== undefined && d.platform.architecture !== 'unknown');
    let pick: Descriptor | undefined;
    if (withPlatform.length > 0) {
      pick = withPlatform.find((d) => matches(d, want));
      if (pick === undefined) {
        const have = withPlatform.map((d) => platformText({ os: d.platform!.os ?? '?', architecture: d.platform!.architecture ?? '?', variant: d.platform!.variant }));
        throw new UserError(`${blobs.name}: no manifest for platform ${platformText(want)}${wantGiven ? '' : ' (this machine)'}; the index has ${have.join(', ')} (use --platform)`);
      }
    } else pick = manifests[0]!;
    const doc = asRecord(await blobs.json(pick.digest, 'manifest'), `${blobs.name}: manifest ${pick.digest}`);
    if (Array.isArray(doc.manifests)) {
      manifests = descriptors(doc.manifests, `${blobs.name}: index ${pick.digest}`);
      continue;
    }
    const cfgDesc = descriptors([doc.config], `${blobs.name}: manifest config`)[0]!;
    const cfg = configFacts(await blobs.json(cfgDesc.digest, 'config'), `${blobs.name}: config`);
    const layerDescs = descriptors(doc.layers ?? [], `${blobs.name}: manifest layers`);
    const layers: ParsedLayer[] = [];
    for (const [i, d] of layerDescs.entries()) {
      const l = await blobs.layer(d.digest, `layer ${i + 1}`);
      const diff = cfg.diffIds[i];
      if (diff !== undefined) checkDigest(l.diffId, diff, `${blobs.name}: layer ${i + 1} (uncompressed)`);
      layers.push(l);
    }
    return { layers, platform: cfg.platform, env: cfg.env, entrypoint: cfg.entrypoint };
  }
  throw new UserError(`${blobs.name}: image indexes nest too deeply`);
}

/** docker save's manifest.json: [{Config, RepoTags, Layers}], layers named by path inside the archive. */
function resolveDockerSave(scan: ArchiveScan, ref: string, want: ImagePlatform, wantGiven: boolean): Resolved {
  const list = parseJson(scan.json.get('manifest.json')!, `${ref}: manifest.json`);
  if (!Array.isArray(list) || list.length === 0) throw new UserError(`${ref}: manifest.json lists no images`);
  const candidates: Resolved[] = [];
  for (const [i, item] of list.entries()) {
    const m = asRecord(item, `${ref}: manifest.json[${i}]`);
    if (typeof m.Config !== 'string') throw new UserError(`${ref}: manifest.json[${i}] has no Config`);
    const cfgBuf = scan.json.get(normalizeEntryPath(m.Config, ref).slice(1));
    if (cfgBuf === undefined) throw new UserError(`${ref}: manifest.json points at missing config ${m.Config}`);
    const blobDigest = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(m.Config);
    if (blobDigest !== null) {
      checkDigest(sha256Digest(cfgBuf), `sha256:${blobDigest[1]}`, `${ref}: config`);
    }
    const cfg = configFacts(parseJson(cfgBuf, `${ref}: ${m.Config}`), `${ref}: ${m.Config}`);
    const layerNames = Array.isArray(m.Layers) ? m.Layers.filter((x): x is string => typeof x === 'string') : [];
    const layers: ParsedLayer[] = [];
    for (const [j, name] of layerNames.entries()) {
      const rel = normalizeEntryPath(name, ref).slice(1);
      const l = scan.layers.get(rel);
      if (l === undefined) throw new UserError(`${ref}: manifest.json points at missing layer ${name}`);
      const dm = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(rel);
      if (dm !== null) checkDigest(l.rawDigest, `sha256:${dm[1]}`, `${ref}: layer ${name}`);
      const diff = cfg.diffIds[j];
      if (diff !== undefined) checkDigest(l.diffId, diff, `${ref}: layer ${name} (uncompressed)`);
      layers.push(l);
    }
    candidates.push({ layers, platform: cfg.platform, env: cfg.env, entrypoint: cfg.entrypoint });
  }
  const match = candidates.find((c) => c.platform !== null && c.platform.os === want.os && c.platform.architecture === want.architecture);
  if (match !== undefined) return match;
  if (candidates.length === 1 && !wantGiven) return candidates[0]!;
  const have = candidates.map((c) => (c.platform === null ? 'unknown' : platformText(c.platform)));
  throw new UserError(`${ref}: no image for platform ${platformText(want)}; the archive has ${have.join(', ')} (use --platform)`);
}

/** Walks a rootfs directory into layer entries (no symlink is followed; nothing outside the directory is read). */
function walkRootfsDir(root: string): LayerEntry[] {
  const out: LayerEntry[] = [];
  const visit = (rel: string): void => {
    const abs = nodePath.join(root, rel);
    let names: string[];
    try {
      names = nodeFs.readdirSync(abs);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const r = rel === '/' ? `/${n}` : `${rel}/${n}`;
      const a = nodePath.join(root, r);
      let st: nodeFs.Stats;
      try {
        st = nodeFs.lstatSync(a);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) out.push({ kind: 'symlink', path: r, target: nodeFs.readlinkSync(a) });
      else if (st.isDirectory()) {
        out.push({ kind: 'dir', path: r, mode: st.mode });
        visit(r);
      } else if (st.isFile()) {
        const keep = keepDecision(r, st.size, st.mode);
        if (keep === 'none') out.push({ kind: 'file', path: r, size: st.size, mode: st.mode });
        else {
          const len = keep === 'whole' ? st.size : Math.min(HEAD_BYTES, st.size);
          const buf = Buffer.alloc(len);
          const fd = nodeFs.openSync(a, 'r');
          try {
            nodeFs.readSync(fd, buf, 0, len, 0);
          } finally {
            nodeFs.closeSync(fd);
          }
          out.push(keep === 'whole' ? { kind: 'file', path: r, size: st.size, mode: st.mode, data: buf } : { kind: 'file', path: r, size: st.size, mode: st.mode, head: buf });
        }
      }
    }
  };
  visit('/');
  return out;
}

function countFiles(fs: MemoryFs): number {
  let n = 0;
  for (const _ of fs.walk()) n++;
  return n;
}

/** Loads an image (see the module comment for the formats) into an in-memory tree. Throws UserError on bad input. */
export async function readImage(ref: string, options: LoadImageOptions = {}): Promise<LoadedImage> {
  const { path } = splitRef(ref);
  const want = options.platform !== undefined ? parsePlatform(options.platform) : hostPlatform();
  const wantGiven = options.platform !== undefined;
  let st: nodeFs.Stats;
  try {
    st = nodeFs.statSync(path);
  } catch {
    throw new UserError(`${ref}: no such file or directory`);
  }
  const tree = new ImageTree(ref);
  let format: ImageFormat;
  let resolved: Resolved;
  if (st.isDirectory()) {
    const indexPath = nodePath.join(path, 'index.json');
    if (nodeFs.existsSync(indexPath)) {
      format = 'oci-layout';
      if (nodeFs.statSync(indexPath).size > MAX_JSON) throw new UserError(`${ref}: index.json is too large`);
      resolved = await resolveOci(parseJson(nodeFs.readFileSync(indexPath), `${ref}: index.json`), dirBlobs(path, ref), want, wantGiven);
    } else {
      format = 'rootfs-dir';
      resolved = { layers: [{ entries: walkRootfsDir(path), rawDigest: '', diffId: '' }], platform: null, env: [], entrypoint: [] };
    }
  } else {
    const scan = await scanArchive(path, ref);
    if (scan.json.has('index.json') && !scan.json.has('manifest.json')) {
      format = 'oci-archive';
      resolved = await resolveOci(parseJson(scan.json.get('index.json')!, `${ref}: index.json`), scanBlobs(scan, ref), want, wantGiven);
    } else if (scan.json.has('manifest.json')) {
      format = 'docker-archive';
      resolved = resolveDockerSave(scan, ref, want, wantGiven);
    } else if (scan.names.has('/oci-layout') || scan.names.has('/index.json')) {
      throw new UserError(`${ref}: OCI archive without a readable index.json`);
    } else {
      format = 'rootfs-tar';
      resolved = { layers: [{ entries: scan.rootfs, rawDigest: '', diffId: '' }], platform: null, env: [], entrypoint: [] };
    }
  }
  for (const l of resolved.layers) tree.apply(l.entries);
  return {
    fs: tree.fs,
    tree,
    reference: ref,
    format,
    platform: resolved.platform,
    env: resolved.env,
    entrypoint: resolved.entrypoint,
    layers: resolved.layers.length,
    files: countFiles(tree.fs),
  };
}

/** Reads an image and derives its facts: the entry point for `nodefit image` and `check --image`. */
export async function loadImage(ref: string, options: LoadImageOptions = {}): Promise<LoadedImage & { readonly facts: ImageFacts }> {
  const img = await readImage(ref, options);
  return { ...img, facts: inspectImage(img) };
}
