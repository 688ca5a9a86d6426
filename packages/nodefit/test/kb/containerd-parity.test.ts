// Parity with Docker's own checker: runs Debian docker.io's contrib/check-config.sh and `nodefit check --workload
// containerd --kernel-config F` on every corpus config and compares the verdict for every option both look at.
// Every difference must fall into one of the explained classes below; anything else fails the test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { evaluate } from '../../src/engine/evaluate.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';
import { optionName } from '../../src/kb/requirement-eval.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { corpusConfigs, fixtureManifest, need } from '../helpers/fixtures.ts';

const run = promisify(execFile);

type Verdict = 'enabled' | 'missing';

/** `- CONFIG_X: enabled (as module)` lines of check-config.sh, colours stripped. */
export function parseCheckConfig(out: string): Map<string, Verdict> {
  const m = new Map<string, Verdict>();
  for (const raw of out.split('\n')) {
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '').trim();
    const x = /^- CONFIG_([A-Z0-9_]+): (enabled|enabled \(as module\)|missing)$/.exec(line);
    if (x !== null) m.set(x[1]!, x[2] === 'missing' ? 'missing' : 'enabled');
  }
  return m;
}

const containerd = BUILTIN_WORKLOADS.find((w) => w.id === 'containerd')!;
/** Option → requirement ids of the containerd profile that name it. */
const reqOf = new Map<string, string[]>();
for (const r of containerd.requirements) {
  const opts = r.kind === 'kernel-option' ? r.anyOf.map(optionName) : r.kind === 'module' ? (r.config ?? []).map(optionName) : [];
  for (const o of opts) reqOf.set(o, [...(reqOf.get(o) ?? []), r.id]);
}

async function pool<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

test('containerd profile agrees with check-config.sh on every option both check, or the difference is explained', async (t) => {
  const script = fixtureManifest()?.checkConfig;
  if (!need(t, script !== undefined && fs.existsSync(script) && corpusConfigs().length > 0, "docker.io's check-config.sh and the kernel-config corpus")) return;
  const configs = corpusConfigs();
  const scriptOut = await pool(configs, 8, async (c) => {
    // check-config.sh exits 1 when something is missing; the output is what matters.
    const r = await run('bash', [script!, c], { maxBuffer: 4 << 20 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    return parseCheckConfig(r.stdout);
  });
  const explained: Record<string, number> = {};
  const unexplained: string[] = [];
  let agreed = 0;
  for (const [i, config] of configs.entries()) {
    const name = path.basename(config, '.config');
    const snapshot = await loadTarget({ base: { kind: 'offline' }, kernelConfig: config });
    const report = evaluate(snapshot, { workloads: ['containerd'] });
    const headerless = snapshot.facts.kernel.config.state === 'known' && snapshot.facts.kernel.config.value.headerVersion === undefined;
    const byReq = new Map(report.findings.filter((f) => f.requirement !== undefined).map((f) => [f.requirement!, f]));
    for (const [option, theirs] of scriptOut[i]!) {
      const ids = reqOf.get(option);
      if (ids === undefined) continue; // storage drivers, vsyscall, ext3/4, crypto, ...: not in the containerd profile
      for (const id of ids) {
        const f = byReq.get(id)!;
        const ours: Verdict | 'undecided' = f.outcome === 'pass' ? 'enabled' : f.outcome === 'fail' || f.outcome === 'warn' ? 'missing' : 'undecided';
        if (ours === theirs) {
          agreed++;
          continue;
        }
        const why = ((): string | null => {
          // 1. MEMCG_SWAP was folded into MEMCG in 6.1 (commit e55b9f96860f "mm: memcontrol: drop dead CONFIG_MEMCG_SWAP
          //    config symbol"); the script still asks for it, nodefit does not on >= 6.1.
          if (option === 'MEMCG_SWAP' && f.outcome === 'not-applicable') return 'MEMCG_SWAP folded into MEMCG in 6.1';
          // 2. The script compares version-gated options against the *running* kernel (uname -r), not the config's.
          if (f.outcome === 'not-applicable') return 'version gate applied to the config, not to uname -r';
          // 3. Header-less configs (Fedora dist-git, RHEL 8 fragments) omit options set by default: absent is not "missing".
          if (headerless && ours === 'undecided') return 'header-less config: absent option is undecided';
          // 4. Renames: nodefit accepts the alternative spelling (e.g. NETPRIO_CGROUP / CGROUP_NET_PRIO).
          if (ours === 'enabled' && f.message.includes('CONFIG_') && !f.message.includes(`CONFIG_${option}=`)) return 'satisfied by a renamed alternative';
          return null;
        })();
        if (why === null) unexplained.push(`${name}: CONFIG_${option}: check-config.sh ${theirs}, nodefit ${f.outcome} (${f.message})`);
        else explained[why] = (explained[why] ?? 0) + 1;
      }
    }
  }
  t.diagnostic(`agreed on ${agreed} option verdicts; explained differences: ${JSON.stringify(explained)}`);
  assert.ok(agreed > 1000, `only ${agreed} verdicts compared`);
  assert.deepEqual(unexplained, []);
});
