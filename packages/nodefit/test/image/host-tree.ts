// Test host for the Bottlerocket incident: a few real Debian 6.1 modules (and their modules.dep closure) recompressed
// with the real gzip/xz CLIs into a temp /lib/modules/<release>, with modules.dep rewritten to the new names.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { fixtureManifest } from '../helpers/fixtures.ts';

/** The modules Cilium and Antrea load from their images (cilium.yaml, antrea.yaml: loadedBy container). */
export const INCIDENT_MODULES = ['iptable_raw', 'ip_tables', 'iptable_nat', 'iptable_mangle', 'iptable_filter', 'xt_socket', 'openvswitch'];

export function debianTree(): { root: string; release: string; dir: string } | null {
  const t = fixtureManifest()?.trees['kernel-6.1'];
  if (t === undefined) return null;
  const dir = path.join(t.root, 'lib/modules', t.release);
  return fs.existsSync(path.join(dir, 'modules.dep')) ? { ...t, dir } : null;
}

/** Writes <out>/<release>/ with the modules' dependency closure compressed as `how`; returns that module dir. */
export function recompressedTree(out: string, how: 'gzip' | 'xz', modules: readonly string[] = INCIDENT_MODULES): string {
  const src = debianTree();
  if (src === null) throw new Error('kernel-6.1 fixture tree missing');
  const depLines = fs.readFileSync(path.join(src.dir, 'modules.dep'), 'utf8').split('\n').filter((l) => l.includes(':'));
  const deps = new Map<string, string[]>();
  for (const l of depLines) {
    const [file, rest] = l.split(':') as [string, string];
    deps.set(file, rest.trim() === '' ? [] : rest.trim().split(/\s+/));
  }
  const byName = new Map<string, string>();
  for (const f of deps.keys()) byName.set(path.basename(f).replace(/\.ko$/, '').replace(/-/g, '_'), f);
  const want = new Set<string>();
  for (const m of modules) {
    const f = byName.get(m);
    if (f === undefined) throw new Error(`${m} not in the Debian 6.1 tree`);
    want.add(f);
    for (const d of deps.get(f) ?? []) want.add(d);
  }
  const ext = how === 'gzip' ? '.gz' : '.xz';
  const dst = path.join(out, src.release);
  for (const f of want) {
    const target = path.join(dst, f + ext);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const args = how === 'gzip' ? ['-n', '-9', '-c'] : ['--check=crc32', '--lzma2=dict=1MiB', '-c'];
    fs.writeFileSync(target, execFileSync(how, [...args, path.join(src.dir, f)], { maxBuffer: 64 * 1024 * 1024 }));
  }
  const dep = [...want].sort().map((f) => `${f}${ext}: ${(deps.get(f) ?? []).map((d) => d + ext).join(' ')}`.trimEnd());
  fs.writeFileSync(path.join(dst, 'modules.dep'), dep.join('\n') + '\n');
  fs.writeFileSync(path.join(dst, 'modules.order'), [...want].sort().join('\n') + '\n');
  fs.copyFileSync(path.join(src.dir, 'modules.builtin'), path.join(dst, 'modules.builtin'));
  return dst;
}
