// Fleet what-if: "if these nodes got kernel X". Each node keeps its userspace and OS facts (os-release, modprobe.d,
// binfmt.d, iptables binaries, cgroup mounts, kernel command line), takes the candidate's kernel and module tree, and
// is evaluated again; the result is a per-node diff against the node as it is. Facts only a booted kernel can show
// (loaded modules, /sys/module, /proc/cgroups, live binfmt entries) become unknown, because the node has not booted X.
import { unknown } from '../facts/fact.ts';
import type { HostFacts, Snapshot } from '../facts/snapshot.ts';
import { loadTarget } from '../targets/load-target.ts';
import { diffSnapshots, type DiffOptions } from './diff/run-diff.ts';
import type { DiffReport } from './diff/diff-report.ts';
import type { Report } from './report.ts';

export type Candidate = { readonly kind: 'snapshot'; readonly snapshot: Snapshot } | { readonly kind: 'kernel-package'; readonly file: string };

export interface NodeWhatIf {
  /** The node's hostname, else its target description. */
  readonly node: string;
  readonly diff: DiffReport;
  /** The node as it would be on the candidate kernel. */
  readonly candidateReport: Report;
}

export interface WhatIfResult {
  readonly candidate: { readonly description: string; readonly kernelRelease: string | null };
  readonly nodes: readonly NodeWhatIf[];
  /** Nodes on which the candidate introduces a failure at or above failOn. */
  readonly breaks: readonly string[];
}

function notBooted(candidate: string, what: string) {
  return unknown([], `what-if: the node has not booted ${candidate}, so ${what} on that kernel cannot be known`);
}

/** The node's facts with the candidate's kernel and module tree. */
export function transplantKernel(node: Snapshot, candidate: Snapshot): Snapshot {
  const c = candidate.facts;
  const n = node.facts;
  const rel = c.kernel.release.state === 'known' ? c.kernel.release.value : candidate.target.description;
  const facts: HostFacts = {
    os: n.os,
    // the command line belongs to the node's boot loader, not to the kernel package
    kernel: { ...c.kernel, cmdline: n.kernel.cmdline, version: notBooted(rel, 'its /proc/version') },
    modules: {
      ...c.modules,
      loaded: notBooted(rel, 'the loaded modules'),
      sysModule: notBooted(rel, '/sys/module'),
      kernelDecompression: notBooted(rel, '/sys/module/compression'),
      modulesDisabled: n.modules.modulesDisabled,
      lockdown: n.modules.lockdown,
      sigEnforce: n.modules.sigEnforce,
      modprobe: n.modules.modprobe,
    },
    cgroups: { ...n.cgroups, procCgroups: notBooted(rel, '/proc/cgroups') },
    binfmt: n.binfmt,
    netfilter: { ...n.netfilter, nfTablesActive: notBooted(rel, 'nf_tables state') },
  };
  return {
    ...node,
    target: { ...node.target, description: `${node.target.hostname ?? node.target.description} on ${rel}` },
    facts,
  };
}

async function candidateSnapshot(candidate: Candidate): Promise<Snapshot> {
  if (candidate.kind === 'snapshot') return candidate.snapshot;
  return loadTarget({ base: { kind: 'kernel-package', file: candidate.file } });
}

/** Evaluates every node as it is and as it would be on the candidate kernel. The candidate package is read once. */
export async function whatIf(nodes: readonly Snapshot[], candidate: Candidate, options: DiffOptions = {}): Promise<WhatIfResult> {
  const cand = await candidateSnapshot(candidate);
  const out: NodeWhatIf[] = [];
  for (const node of nodes) {
    const moved = transplantKernel(node, cand);
    const { diff, after } = diffSnapshots(node, moved, options);
    out.push({ node: node.target.hostname ?? node.target.description, diff, candidateReport: after });
  }
  const rel = cand.facts.kernel.release;
  return {
    candidate: { description: cand.target.description, kernelRelease: rel.state === 'known' ? rel.value : null },
    nodes: out,
    breaks: out.filter((n) => n.diff.workloads.some((w) => w.newFailures.some((c) => c.trips))).map((n) => n.node),
  };
}
