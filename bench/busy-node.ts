// A --root that looks like a busy Kubernetes node to `nodefit check`: this machine's files, with pods starting and
// stopping before every run (their real mounts, module and cgroup counts moving), for the run memo's churn row.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostFiles } from '../packages/nodefit/test/helpers/host-copy.ts';
import { churnedCgroups, churnedModules, NODE_MODULES } from '../packages/nodefit/test/helpers/node-churn.ts';
import { podMountLines } from '../packages/nodefit/test/helpers/pod-mounts.ts';

/** Pods on the node at most; each churn leaves between half and all of them running. */
const PODS = 60;

export interface BusyNode {
  readonly root: string;
  /** Pods come and go: a different set of their mounts, other reference and cgroup counts. */
  churn(): void;
  remove(): void;
}

export function busyNode(): BusyNode | { readonly reason: string } {
  const table = hostFiles.get('/proc/1/mountinfo')?.toString('utf8');
  const cgroups = hostFiles.get('/proc/cgroups')?.toString('utf8');
  if (table === undefined || cgroups === undefined || !hostFiles.has('/proc/config.gz')) return { reason: "this machine's /proc/1/mountinfo, /proc/cgroups or /proc/config.gz is missing" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-bench-node-'));
  const base = path.join(dir, 'mounts');
  fs.mkdirSync(base);
  const pods = podMountLines(base, PODS);
  if (!pods.ok) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { reason: pods.reason };
  }
  const root = path.join(dir, 'root');
  const write = (p: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), data);
  };
  for (const [p, data] of hostFiles) write(p, data);
  write('/proc/modules', NODE_MODULES);
  const perPod = pods.lines.length / PODS;
  let turn = 0;
  return {
    root,
    churn() {
      turn++;
      const running = PODS / 2 + (turn % (PODS / 2 + 1));
      const from = (turn * 7) % (PODS - running + 1);
      write('/proc/1/mountinfo', `${table}${pods.lines.slice(from * perPod, (from + running) * perPod).join('\n')}\n`);
      write('/proc/modules', churnedModules(NODE_MODULES, [turn % 5, running, turn * 3]));
      write('/proc/cgroups', churnedCgroups(cgroups, [running * 4 + turn, running]));
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
