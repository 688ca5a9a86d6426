// `nodefit check`: the live host, one corpus config, all 57 configs in one process, and beside Docker's check-config.sh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startupRow, timeCommand, timeFn, type BenchRow } from './measure.ts';
import { busyNode } from './busy-node.ts';
import { CLI, CORPUS, FIXTURES } from './paths.ts';
import { evaluate } from '../packages/nodefit/src/engine/evaluate.ts';
import { loadTarget } from '../packages/nodefit/src/targets/load-target.ts';
import type { Snapshot } from '../packages/nodefit/src/facts/snapshot.ts';

/**
 * The live check beside node -e 0, run in turn with it in the same environment, both ways it runs: repeated on a host
 * whose every answer is unchanged, so the run memo replays the report (src/cli/run-memo.ts), and with the memo off,
 * which is what any check costs after the host changed (every fact parsed, every workload evaluated, the report drawn).
 */
export function liveCheckRows(env: NodeJS.ProcessEnv = process.env, label = ''): BenchRow[] {
  const args = [CLI, 'check', '--fail-on', 'never'];
  return [
    { ...startupRow(`nodefit check, all workloads, live host, repeated${label}`, args, env), note: 'host unchanged: the run memo replays' },
    { ...startupRow(`nodefit check, all workloads, live host, evaluated${label}`, args, { ...env, NODEFIT_RUN_MEMO: '0' }), note: 'NODEFIT_RUN_MEMO=0: a check after any change' },
  ];
}

/**
 * The same check of a --root that churns like a busy Kubernetes node before every run (bench/busy-node.ts): the memo
 * replays as long as only what no check reads moved (src/facts/churn.ts), and the memo-off row beside it is the cost
 * without that.
 */
export function busyNodeRows(env: NodeJS.ProcessEnv = process.env, label = ''): BenchRow[] {
  const node = busyNode();
  if ('reason' in node) return [{ name: `nodefit check, busy node${label}`, medianMs: Number.NaN, note: `not measured: ${node.reason}` }];
  try {
    const args = [CLI, 'check', '--root', node.root, '--fail-on', 'never'];
    return [
      { ...startupRow(`nodefit check, all workloads, busy node --root, repeated${label}`, args, env, () => node.churn()), note: 'pods start and stop before every run' },
      { ...startupRow(`nodefit check, all workloads, busy node --root, evaluated${label}`, args, { ...env, NODEFIT_RUN_MEMO: '0' }, () => node.churn()), note: 'NODEFIT_RUN_MEMO=0' },
    ];
  } finally {
    node.remove();
  }
}

function corpusConfigFiles(): string[] {
  const dir = path.join(CORPUS, 'kernel-configs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.config')).sort().map((f) => path.join(dir, f)) : [];
}

/** The Debian 12 corpus config (or the first one), for the single-config rows. */
export function oneCorpusConfig(configs = corpusConfigFiles()): string | undefined {
  return configs.find((c) => c.includes('debian12')) ?? configs[0];
}

/** `check --workload containerd` against Docker's check-config.sh on the same config, one run each in turn. */
export function checkConfigRow(config: string, env: NodeJS.ProcessEnv = process.env, label = ''): BenchRow | undefined {
  const script = path.join(FIXTURES, 'check-config.sh');
  if (!fs.existsSync(script)) return undefined;
  const ours = timeCommand(process.execPath, [CLI, 'check', '--workload', 'containerd', '--kernel-config', config, '--fail-on', 'never'], 11, { env });
  const theirs = timeCommand('bash', [script, config], 5, { okCodes: [0, 1], env });
  return {
    name: `check --workload containerd --kernel-config ${path.basename(config)}${label}`,
    medianMs: ours.medianMs,
    baseline: { name: 'check-config.sh', medianMs: theirs.medianMs },
    target: { text: '>= 10x faster than check-config.sh', met: ours.medianMs * 10 <= theirs.medianMs },
  };
}

export async function checkBench(floorMs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [...liveCheckRows(), ...busyNodeRows()];
  // what a first run on a machine costs, before the executable has kept its compiled code (src/cli/launch.ts) and the
  // decompressed /proc/config.gz (src/cli/gunzip-memo-file.ts)
  const cold = timeCommand(process.execPath, [CLI, 'check', '--fail-on', 'never'], 11, { env: { ...process.env, NODEFIT_COMPILE_CACHE: '0' } });
  rows.push({ name: 'nodefit check, all workloads, live host, no cache', medianMs: cold.medianMs, baseline: { name: 'node -e 0', medianMs: floorMs }, note: 'first run' });
  const configs = corpusConfigFiles();
  const one = oneCorpusConfig(configs);
  if (one !== undefined) {
    const t = timeCommand(process.execPath, [CLI, 'check', '--kernel-config', one, '--fail-on', 'never'], 15);
    rows.push({ name: `nodefit check, all workloads, ${path.basename(one)}`, medianMs: t.medianMs, baseline: { name: 'node -e 0', medianMs: floorMs } });
    const snaps: Snapshot[] = [];
    for (const c of configs) snaps.push(await loadTarget({ base: { kind: 'offline' }, kernelConfig: c }));
    const all = await timeFn(async () => {
      for (const c of configs) evaluate(await loadTarget({ base: { kind: 'offline' }, kernelConfig: c }));
    }, 5);
    rows.push({ name: `all workloads × all ${configs.length} corpus configs, one process (read + evaluate)`, medianMs: all.medianMs, target: { text: '< 1000 ms', met: all.medianMs < 1000 } });
    const versus = checkConfigRow(one);
    if (versus !== undefined) rows.push(versus);
  }
  return rows;
}
