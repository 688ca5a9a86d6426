// `npm run bench`: every speed goal from the issues, as medians beside their floors; prints a table, never fails a build.
import { timeCommand, type BenchRow } from './measure.ts';
import { scanBench } from './scan.bench.ts';
import { serverBench } from './server.bench.ts';
import { diffBench } from './diff.bench.ts';
import { checkBench } from './check.bench.ts';
import { imageBench } from './image.bench.ts';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

function fmt(ms: number): string {
  return Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function print(section: string, rows: readonly BenchRow[]): void {
  console.log(`\n## ${section}`);
  for (const r of rows) {
    const ratio = r.baseline !== undefined && !Number.isNaN(r.medianMs) ? ` = ${(r.medianMs / r.baseline.medianMs).toFixed(2)}x ${r.baseline.name} (${fmt(r.baseline.medianMs)} ms)` : '';
    const target = r.target === undefined ? '' : `  target ${r.target.text}: ${r.target.met ? 'MET' : 'NOT MET'}`;
    console.log(`${r.name.padEnd(64)} median ${fmt(r.medianMs).padStart(9)} ms${ratio}${target}${r.note === undefined ? '' : `  (${r.note})`}`);
  }
}

const floor = timeCommand(process.execPath, ['-e', '0'], 21).medianMs;
console.log(`floor: node -e 0 median ${fmt(floor)} ms (${process.version}, ${process.arch})`);
if (want('scan')) print('scan (issue #2)', scanBench(floor));
if (want('check')) print('check (issue #3)', await checkBench(floor));
if (want('image')) print('image (issue #4)', await imageBench());
if (want('diff')) print('diff (issue #5)', diffBench());
if (want('server')) print('fleet server (issue #7)', await serverBench());
