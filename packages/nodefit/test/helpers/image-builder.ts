// Builds real container images for tests, in temp dirs: layers are the real Debian packages' file trees
// (`dpkg-deb --fsys-tarfile`), compressed with the real gzip/zstd/xz CLIs, laid out as an OCI layout, an OCI archive
// or a `docker save` tarball. Hand-made layers exist only for what no package provides (said where used).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tarStream from 'tar-stream';

import { debFixture } from './fixtures.ts';

export type LayerCompression = 'none' | 'gzip' | 'zstd' | 'xz';

export interface TarEntry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link';
  readonly content?: Buffer | string;
  readonly linkname?: string;
  readonly mode?: number;
}

/** An uncompressed layer tar from entries (tar-stream pack, in memory). */
export async function packTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = typeof e.content === 'string' ? Buffer.from(e.content) : (e.content ?? Buffer.alloc(0));
    await new Promise<void>((resolve, reject) => {
      pack.entry(
        { name: e.name, type, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), ...(e.linkname !== undefined ? { linkname: e.linkname } : {}), size: type === 'file' ? content.length : 0 },
        type === 'file' ? content : '',
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** The file tree of a fixture .deb as an uncompressed tar, or null when the fixture is missing. */
export function debLayer(key: string): Buffer | null {
  const d = debFixture(key);
  if (d === null) return null;
  return execFileSync('dpkg-deb', ['--fsys-tarfile', d.path], { maxBuffer: 512 * 1024 * 1024 });
}

/** Compresses with the real CLI (gzip -n, zstd, xz), as image builders do. */
export function compress(data: Buffer, how: LayerCompression): Buffer {
  if (how === 'none') return data;
  const args = how === 'gzip' ? ['-n', '-c'] : how === 'zstd' ? ['-q', '-c'] : ['-c', '-T1'];
  return execFileSync(how, args, { input: data, maxBuffer: 1024 * 1024 * 1024 });
}

export function sha256(data: Buffer): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

export interface ImageSpec {
  /** Uncompressed layer tars, lowest first. */
  readonly layers: readonly Buffer[];
  readonly compression?: LayerCompression | readonly LayerCompression[];
  readonly architecture?: string;
  readonly variant?: string;
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
}

function compressionAt(spec: ImageSpec, i: number, dflt: LayerCompression): LayerCompression {
  const c = spec.compression;
  if (c === undefined) return dflt;
  if (typeof c === 'string') return c;
  return (c)[i] ?? dflt;
}

interface BuiltImage {
  readonly blobs: Map<string, Buffer>;
  readonly manifestDigest: string;
  readonly manifestSize: number;
  readonly configDigest: string;
  readonly layerDigests: string[];
  readonly platform: { os: string; architecture: string; variant?: string };
}

const MT = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: { none: 'application/vnd.oci.image.layer.v1.tar', gzip: 'application/vnd.oci.image.layer.v1.tar+gzip', zstd: 'application/vnd.oci.image.layer.v1.tar+zstd', xz: 'application/vnd.oci.image.layer.v1.tar+xz' },
} as const;

function buildImage(spec: ImageSpec): BuiltImage {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer): string => {
    const d = sha256(b);
    blobs.set(d, b);
    return d;
  };
  const comps: LayerCompression[] = spec.layers.map((_, i) => compressionAt(spec, i, 'gzip'));
  const stored = spec.layers.map((l, i) => compress(l, comps[i]!));
  const layerDigests = stored.map(put);
  const platform = { os: 'linux', architecture: spec.architecture ?? 'amd64', ...(spec.variant !== undefined ? { variant: spec.variant } : {}) };
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: { Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...(spec.entrypoint !== undefined ? { Entrypoint: spec.entrypoint } : {}) },
      rootfs: { type: 'layers', diff_ids: spec.layers.map(sha256) },
    }),
  );
  const configDigest = put(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.manifest,
      config: { mediaType: MT.config, digest: configDigest, size: config.length },
      layers: stored.map((b, i) => ({ mediaType: MT.layer[comps[i]!], digest: layerDigests[i], size: b.length })),
    }),
  );
  const manifestDigest = put(manifest);
  return { blobs, manifestDigest, manifestSize: manifest.length, configDigest, layerDigests, platform };
}

/** Writes an OCI image layout; several specs make a multi-platform index. Returns the layout dir. */
export function writeOciLayout(dir: string, specs: readonly ImageSpec[]): string {
  const images = specs.map(buildImage);
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const img of images) for (const [d, b] of img.blobs) fs.writeFileSync(path.join(dir, 'blobs', 'sha256', d.slice(7)), b);
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests = images.map((img) => ({ mediaType: MT.manifest, digest: img.manifestDigest, size: img.manifestSize, platform: img.platform }));
  if (images.length > 1) {
    // Multi-platform: index.json -> image index blob -> per-platform manifests (as buildx writes it).
    const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.index, manifests }));
    const d = sha256(inner);
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', d.slice(7)), inner);
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MT.index, manifests: [{ mediaType: MT.index, digest: d, size: inner.length }] }));
  } else {
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MT.index, manifests: [{ mediaType: MT.manifest, digest: images[0]!.manifestDigest, size: images[0]!.manifestSize }] }));
  }
  return dir;
}

/** A tar of a directory's files (relative names, sorted), written with tar-stream. */
export async function tarDirectory(dir: string, out: string, opts: { prefix?: string } = {}): Promise<string> {
  const entries: TarEntry[] = [];
  const walk = (rel: string): void => {
    for (const n of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? n : `${rel}/${n}`;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) entries.push({ name: `${opts.prefix ?? ''}${r}`, type: 'symlink', linkname: fs.readlinkSync(path.join(dir, r)) });
      else if (st.isDirectory()) {
        entries.push({ name: `${opts.prefix ?? ''}${r}/`, type: 'directory' });
        walk(r);
      } else entries.push({ name: `${opts.prefix ?? ''}${r}`, content: fs.readFileSync(path.join(dir, r)), mode: st.mode & 0o7777 });
    }
  };
  walk('');
  fs.writeFileSync(out, await packTar(entries));
  return out;
}

/** An OCI archive: a tar of an OCI layout (what `skopeo copy … oci-archive:` writes). */
export async function writeOciArchive(file: string, scratch: string, specs: readonly ImageSpec[]): Promise<string> {
  const dir = path.join(scratch, `layout-${path.basename(file)}`);
  writeOciLayout(dir, specs);
  return tarDirectory(dir, file);
}

/**
 * A `docker save` tarball in the classic layout (manifest.json, <config>.json, <id>/layer.tar; layers uncompressed
 * unless `compression` says otherwise, as Docker 25+ may store them), entries in Docker's order: layers before manifest.
 */
export async function writeDockerSave(file: string, spec: ImageSpec, opts: { repoTag?: string } = {}): Promise<string> {
  const comps: LayerCompression[] = spec.layers.map((_, i) => compressionAt(spec, i, 'none'));
  const config = Buffer.from(
    JSON.stringify({
      os: 'linux',
      architecture: spec.architecture ?? 'amd64',
      config: { Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...(spec.entrypoint !== undefined ? { Entrypoint: spec.entrypoint } : {}) },
      rootfs: { type: 'layers', diff_ids: spec.layers.map(sha256) },
    }),
  );
  const configName = `${sha256(config).slice(7)}.json`;
  const entries: TarEntry[] = [];
  const layerNames: string[] = [];
  for (const [i, l] of spec.layers.entries()) {
    const id = sha256(Buffer.concat([l, Buffer.from(String(i))])).slice(7);
    entries.push({ name: `${id}/`, type: 'directory' });
    entries.push({ name: `${id}/VERSION`, content: '1.0' });
    entries.push({ name: `${id}/layer.tar`, content: compress(l, comps[i]!) });
    layerNames.push(`${id}/layer.tar`);
  }
  entries.push({ name: configName, content: config });
  entries.push({ name: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: [opts.repoTag ?? 'nodefit-test:latest'], Layers: layerNames }]) });
  fs.writeFileSync(file, await packTar(entries));
  return file;
}

/** Debian's update-alternatives links for iptables (what iptables' postinst creates), pointing at `backend`. */
export function iptablesAlternatives(backend: 'legacy' | 'nft'): TarEntry[] {
  const out: TarEntry[] = [{ name: 'etc/alternatives/', type: 'directory' }];
  for (const n of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables']) {
    out.push({ name: `usr/sbin/${n}`, type: 'symlink', linkname: `/etc/alternatives/${n}` });
    out.push({ name: `etc/alternatives/${n}`, type: 'symlink', linkname: `/usr/sbin/${n.replace(/^(ip6?tables)/, `$1-${backend}`)}` });
  }
  return out;
}

/**
 * hand-made: stand-ins for kubernetes-sigs/iptables-wrappers' files (no Debian package ships them); only their names
 * and first line matter to nodefit.
 */
export const WRAPPER_SCRIPT = '#!/bin/sh\n# iptables-wrapper (stand-in): picks legacy or nft from KUBE-IPTABLES-HINT, then execs it\nexit 0\n';
export const WRAPPER_INSTALLER = '#!/bin/sh\n# iptables-wrapper-installer.sh (stand-in)\nexit 0\n';

/** hand-made: a minimal Debian 12 os-release (the base-files package is not among the fixtures). */
export const DEBIAN_OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';

/** The debs a Debian kmod image needs (kmod 30 links libzstd, liblzma, libcrypto, libc). */
export const KMOD_DEBS = ['libc6', 'liblzma5', 'libzstd1', 'libssl3', 'kmod'] as const;
export const IPTABLES_DEBS = ['libc6', 'libmnl0', 'libnftnl11', 'libxtables12', 'libip4tc2', 'libip6tc2', 'iptables'] as const;

/** Layers for the given debs, or null when any fixture is missing. */
export function debLayers(keys: readonly string[]): Buffer[] | null {
  const out: Buffer[] = [];
  for (const k of keys) {
    const l = debLayer(k);
    if (l === null) return null;
    out.push(l);
  }
  return out;
}

/** Like debLayer, but keeps only the entries `keep` accepts (streamed: qemu-user-static unpacks to ~390 MB). */
export async function debLayerFiltered(key: string, keep: (name: string) => boolean): Promise<Buffer | null> {
  const d = debFixture(key);
  if (d === null) return null;
  const { spawn } = await import('node:child_process');
  const child = spawn('dpkg-deb', ['--fsys-tarfile', d.path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const extract = tarStream.extract();
  child.stdout.pipe(extract);
  const entries: TarEntry[] = [];
  for await (const e of extract) {
    const h = e.header;
    const chunks: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) if (keep(h.name)) chunks.push(c);
    if (!keep(h.name)) continue;
    const type = h.type === 'directory' || h.type === 'symlink' || h.type === 'link' ? h.type : 'file';
    entries.push({ name: h.name, type, mode: h.mode ?? 0o644, ...(h.linkname ? { linkname: h.linkname } : {}), ...(type === 'file' ? { content: Buffer.concat(chunks) } : {}) });
  }
  return packTar(entries);
}

/**
 * The ~100 MB `docker save` tarball the image bench reads (issue #4, must-show 6): Debian kmod, iptables, busybox and
 * seven qemu-*-static interpreters, layers uncompressed as `docker save` writes them. Null when fixtures are missing.
 */
export async function writeBenchImage(file: string): Promise<string | null> {
  const base = debLayers([...new Set<string>([...KMOD_DEBS, ...IPTABLES_DEBS, 'busybox'])]);
  const qemu = await debLayerFiltered('qemu-user-static', (n) => /qemu-(aarch64|arm|riscv64|s390x|ppc64le|mips64el|x86_64)-static$/.test(n) || n.endsWith('/'));
  if (base === null || qemu === null) return null;
  return writeDockerSave(file, { layers: [...base, qemu] });
}
