// `nodefit scan` of the live host and of an unpacked Debian 6.12 kernel tree, beside `node -e 0` as the floor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { startupRow, timeCommand, type BenchRow } from './measure.ts';
import { CLI } from './paths.ts';

/** The live scan beside node -e 0, run in turn with it in the same environment. */
export function liveScanRow(env: NodeJS.ProcessEnv = process.env, label = ''): BenchRow {
  return startupRow(`nodefit scan (live host)${label}`, [CLI, 'scan'], env);
}

export function scanBench(floorMs: number): BenchRow[] {
  const rows: BenchRow[] = [liveScanRow()];
  // what a first run on a machine costs, before the executable has kept its compiled code (src/cli/launch.ts)
  const cold = timeCommand(process.execPath, [CLI, 'scan'], 11, { env: { ...process.env, NODEFIT_COMPILE_CACHE: '0' } });
  rows.push({ name: 'nodefit scan (live host), no cache', medianMs: cold.medianMs, baseline: { name: 'node -e 0', medianMs: floorMs }, note: 'first run' });
  const manifest = path.join(process.env.NODEFIT_FIXTURES ?? path.join(os.homedir(), '.cache/nodefit-fixtures'), 'manifest.json');
  if (fs.existsSync(manifest)) {
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { trees: Record<string, { root: string; release: string }> };
    const t = m.trees['kernel-6.12'];
    if (t !== undefined) {
      const dir = path.join(t.root, 'lib/modules', t.release);
      const tree = timeCommand(process.execPath, [CLI, 'scan', '--modules', dir], 15);
      const count = fs.readFileSync(path.join(dir, 'modules.order'), 'utf8').split('\n').filter(Boolean).length;
      rows.push({
        name: `nodefit scan --modules (Debian ${t.release}, ${count} modules)`,
        medianMs: tree.medianMs,
        baseline: { name: 'node -e 0', medianMs: floorMs },
        target: { text: '< 150 ms', met: tree.medianMs < 150 },
      });
    }
  } else rows.push({ name: 'nodefit scan --modules (Debian 6.12 tree)', medianMs: NaN, note: 'fixtures missing: npm run fixtures' });
  return rows;
}
