// Follows the host's iptables command through its symlink / alternatives chain and names the backend it ends in.
// Backends: iptables >= 1.8 ships xtables-legacy-multi and xtables-nft-multi (iptables/xtables-*-multi.c);
// Debian/Ubuntu select one with update-alternatives (/usr/sbin/iptables → /etc/alternatives/iptables →
// /usr/sbin/iptables-nft → xtables-nft-multi), Fedora/RHEL with alternatives(8); kubernetes-sigs/iptables-wrappers
// installs iptables-wrapper (a shell script up to v2, a Go binary since) that picks the host's mode at run time.
import * as nodePath from 'node:path';
import { HostFsError, tryRead, type HostFs } from '../../host/host-fs.ts';
import { MAX_SYMLINK_HOPS } from '../../host/path-walk.ts';
import type { IptablesBinary, IptablesKind } from './schema.ts';

/** Where `iptables` is found, in root's usual PATH order (/usr/local/sbin first, as Debian's and Fedora's root PATH). */
export const IPTABLES_PATHS = ['/usr/local/sbin/iptables', '/usr/sbin/iptables', '/sbin/iptables', '/usr/bin/iptables', '/bin/iptables'] as const;

/** Scripts are recognised by content; anything larger is a binary we only judge by name. */
const SCRIPT_MAX = 64 * 1024;

const BY_NAME: Record<string, IptablesKind> = {
  'xtables-legacy-multi': 'legacy',
  // iptables 1.4 / 1.6 multi-call binary: legacy is all it could speak
  'xtables-multi': 'legacy',
  'iptables-legacy': 'legacy',
  'xtables-nft-multi': 'nft',
  'iptables-nft': 'nft',
  'iptables-wrapper': 'wrapper',
  // Rancher's (k3s/rke2) mode-detecting script, same idea as iptables-wrapper
  'iptables-detect.sh': 'wrapper',
};

/**
 * Names the backend from the final file's name and, for scripts, their text: a script naming both backends picks
 * one at run time (a wrapper); one naming only one backend just runs it.
 */
export function classifyIptablesEnd(path: string, content: string | undefined): IptablesKind {
  const byName = BY_NAME[nodePath.posix.basename(path)];
  if (byName !== undefined) return byName;
  if (content === undefined || !content.startsWith('#!')) return 'unknown';
  if (content.includes('iptables-wrapper')) return 'wrapper';
  const legacy = /xtables-legacy-multi|iptables-legacy/.test(content);
  const nft = /xtables-nft-multi|iptables-nft/.test(content);
  if (legacy && nft) return 'wrapper';
  if (legacy) return 'legacy';
  if (nft) return 'nft';
  return 'unknown';
}

export type IptablesResolution =
  | { readonly ok: true; readonly binary: IptablesBinary }
  | { readonly ok: false; readonly tried: string[]; readonly reason: string };

type Walk = { ok: true; chain: string[]; end: string } | { ok: false; missing: boolean; reason: string };

/** Canonical form of a hop: its directory resolved (so /sbin → /usr/sbin on merged-usr), its own name kept. */
function canonicalHop(fs: HostFs, p: string): string {
  const dir = nodePath.posix.dirname(p);
  let realDir = dir;
  try {
    realDir = fs.realpath(dir);
  } catch (e) {
    if (!(e instanceof HostFsError) || (e.code !== 'ENOENT' && e.code !== 'ENOTDIR')) throw e;
  }
  return nodePath.posix.join(realDir, nodePath.posix.basename(p));
}

function walk(fs: HostFs, start: string): Walk {
  const chain: string[] = [];
  let cur = canonicalHop(fs, start);
  for (let hops = 0; ; hops++) {
    if (chain.includes(cur)) {
      return { ok: false, missing: false, reason: `${fs.display(start)}: symlink loop at ${fs.display(cur)} (ELOOP)` };
    }
    chain.push(cur);
    const st = fs.lstat(cur);
    if (st === undefined) {
      return {
        ok: false,
        missing: chain.length === 1,
        reason: chain.length === 1 ? `${fs.display(start)}: not present` : `${fs.display(start)}: dangling link, ${fs.display(cur)} does not exist`,
      };
    }
    if (st.kind !== 'symlink') {
      if (st.kind !== 'file') return { ok: false, missing: false, reason: `${fs.display(cur)} is not a regular file` };
      return { ok: true, chain, end: cur };
    }
    if (hops >= MAX_SYMLINK_HOPS) {
      return { ok: false, missing: false, reason: `${fs.display(start)}: more than ${MAX_SYMLINK_HOPS} symlinks (ELOOP)` };
    }
    const target = fs.readlink(cur);
    if (target === undefined || target === '') return { ok: false, missing: false, reason: `${fs.display(cur)}: unreadable symlink` };
    const next = target.startsWith('/') ? target : nodePath.posix.join(nodePath.posix.dirname(cur), target);
    cur = canonicalHop(fs, nodePath.posix.normalize(next));
  }
}

function walkSafely(fs: HostFs, start: string): Walk {
  try {
    return walk(fs, start);
  } catch (e) {
    if (e instanceof HostFsError) {
      const why = e.code === 'ELOOP' ? 'symlink loop (ELOOP)' : e.message;
      return { ok: false, missing: false, reason: `${fs.display(start)}: ${why}` };
    }
    throw e;
  }
}

/**
 * The first candidate that exists decides, as a PATH lookup would; a dangling or looping candidate is recorded and
 * the lookup goes on (execvp skips it the same way), and is the reason given when nothing else answers.
 */
export function resolveIptables(fs: HostFs, candidates: readonly string[] = IPTABLES_PATHS): IptablesResolution {
  const tried: string[] = [];
  const problems: string[] = [];
  for (const path of candidates) {
    tried.push(fs.display(path));
    const w = walkSafely(fs, path);
    if (!w.ok) {
      if (!w.missing) problems.push(w.reason);
      continue;
    }
    const kind0 = classifyIptablesEnd(w.end, undefined);
    let kind = kind0;
    if (kind0 === 'unknown') {
      const r = tryRead(fs, w.end, SCRIPT_MAX);
      kind = classifyIptablesEnd(w.end, r.ok ? r.data.subarray(0, SCRIPT_MAX).toString('latin1') : undefined);
    }
    return { ok: true, binary: { path: fs.display(path), chain: w.chain.map((p) => fs.display(p)), kind } };
  }
  return {
    ok: false,
    tried,
    reason: problems.length > 0 ? problems.join('; ') : 'no iptables binary in any of the usual places',
  };
}
