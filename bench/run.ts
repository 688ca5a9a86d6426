// `npm run bench`: every speed goal from the issues, as medians beside their floors; prints a table, never fails a build.
import { timeCommand, type BenchRow } from './measure.ts';
import { liveScanRow, scanBench } from './scan.bench.ts';
import { serverBench } from './server.bench.ts';
import { diffBench } from './diff.bench.ts';
import { busyNodeRows, checkBench, checkConfigRow, liveCheckRows, oneCorpusConfig } from './check.bench.ts';
import { imageBench } from './image.bench.ts';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

function fmt(ms: number): string {
  return Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function print(section: string, rows: readonly BenchRow[]): void {
  console.log(`\n## ${section}`);
  for (const r of rows) {
    const ratio =
      r.baseline === undefined || Number.isNaN(r.medianMs)
        ? ''
        : r.medianMs * 2 <= r.baseline.medianMs
          ? ` = ${(r.baseline.medianMs / r.medianMs).toFixed(1)}x faster than ${r.baseline.name} (${fmt(r.baseline.medianMs)} ms)`
          : ` = ${(r.medianMs / r.baseline.medianMs).toFixed(2)}x ${r.baseline.name} (${fmt(r.baseline.medianMs)} ms)`;
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

// NODE_EXTRA_CA_CERTS makes every Node process parse those certificates, and build its root store, before any
// JavaScript runs (Node 20 does it at start, used or not). Set to a whole system bundle it is most of `node -e 0`
// here, which flatters every "x node -e 0" ratio and slows every Node program against a shell script. The start-up
// rows are measured once more without it, both sides in the same environment.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
if (extraCa !== undefined && extraCa !== '' && (want('scan') || want('check'))) {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const label = ' [no NODE_EXTRA_CA_CERTS]';
  const cleanFloor = timeCommand(process.execPath, ['-e', '0'], 21, { env }).medianMs;
  const rows: BenchRow[] = [{ name: `node -e 0${label}`, medianMs: cleanFloor, baseline: { name: 'node -e 0 with it', medianMs: floor } }];
  if (want('scan')) rows.push(liveScanRow(env, label));
  if (want('check')) {
    rows.push(...liveCheckRows(env, label), ...busyNodeRows(env, label));
    const one = oneCorpusConfig();
    const versus = one === undefined ? undefined : checkConfigRow(one, env, label);
    if (versus !== undefined) rows.push(versus);
  }
  print(`start-up without NODE_EXTRA_CA_CERTS (set here to ${extraCa})`, rows);
}
