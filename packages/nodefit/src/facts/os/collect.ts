// Collects OS facts: which distribution (os-release) and which machine architecture the target is.
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import { tryRead, type HostFs } from '../../host/host-fs.ts';
import { archFromElf, archFromNode, archFromRelease } from './arch.ts';
import { parseOsRelease } from './parse-os-release-facts.ts';
import type { OsFacts, OsRelease } from './schema.ts';

/** os-release(5): /etc/os-release takes precedence; /usr/lib/os-release is the fallback the spec names. */
const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'];
const OS_RELEASE_MAX = 64 * 1024;
/** Binaries whose ELF header tells the userland architecture of a tree that is not running. */
const ELF_PROBES = ['/bin/sh', '/usr/bin/sh', '/sbin/init', '/usr/lib/systemd/systemd', '/usr/bin/env', '/bin/busybox'];
const ELF_MAX = 32 * 1024 * 1024;

function collectRelease(fs: HostFs): Fact<OsRelease> {
  const tried: string[] = [];
  const problems: string[] = [];
  for (const p of OS_RELEASE_PATHS) {
    tried.push(fs.display(p));
    const r = tryRead(fs, p, OS_RELEASE_MAX);
    if (!r.ok) {
      if (r.error.code !== 'ENOENT') problems.push(r.error.message);
      continue;
    }
    const rel = parseOsRelease(r.data.toString('utf8'));
    if (rel !== undefined) return known(rel, fs.display(p));
    problems.push(`${fs.display(p)}: no ID= line`);
  }
  return unknown(tried, problems.length > 0 ? problems.join('; ') : 'no os-release file (neither /etc/os-release nor /usr/lib/os-release exists)');
}

function collectArch(ctx: CollectContext): Fact<string> {
  const { fs } = ctx;
  const tried: string[] = [];
  if (!ctx.offline) {
    // /proc/sys/kernel/arch is uname -m as the kernel reports it (Linux 6.1+)
    const p = '/proc/sys/kernel/arch';
    tried.push(fs.display(p));
    const r = tryRead(fs, p, 4096);
    if (r.ok) {
      const v = r.data.toString('utf8').trim();
      if (v !== '') return known(v, fs.display(p));
    }
    if (fs.kind === 'live') {
      tried.push('process.arch');
      const a = archFromNode(process.arch);
      if (a !== undefined) return known(a, `process.arch (${process.arch})`);
    }
  }
  if (ctx.release !== undefined) {
    tried.push(`kernel release ${ctx.release}`);
    const a = archFromRelease(ctx.release);
    if (a !== undefined) return known(a, `kernel release suffix (${ctx.release})`);
  }
  for (const p of ELF_PROBES) {
    tried.push(fs.display(p));
    const r = tryRead(fs, p, ELF_MAX);
    if (!r.ok) continue;
    const a = archFromElf(r.data.subarray(0, 64));
    if (a !== undefined) return known(a, `ELF header of ${fs.display(p)}`);
  }
  return unknown(tried, 'neither the kernel (/proc/sys/kernel/arch), the kernel release name, nor an ELF binary in the tree says which architecture this is');
}

export function collectOs(ctx: CollectContext): OsFacts {
  return { release: collectRelease(ctx.fs), arch: collectArch(ctx) };
}
