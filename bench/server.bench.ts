// Fleet server speed: ingest throughput and p99 latency from concurrent agents, and the matrix query over 10,000 nodes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../packages/server/src/index.ts';
import { bodyFactory } from '../packages/server/test/helpers/snapshots.ts';
import { startServerProcess } from '../packages/server/test/helpers/server-process.ts';
import { timeFn, type BenchRow } from './measure.ts';

const TOKEN = 'bench-token';

export async function serverBench(nodes = 10_000): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-bench-'));
  try {
    const db = path.join(dir, 'fleet.db');
    const body = await bodyFactory();
    const size = body('bench-0').length;
    const { child, url } = await startServerProcess(db, TOKEN);
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < nodes) {
          const i = next++;
          const s = performance.now();
          const res = await fetch(`${url}/api/v1/snapshots`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body(`bench-${i}`) });
          await res.arrayBuffer();
          latencies.push(performance.now() - s);
        }
      }),
    );
    const elapsed = performance.now() - t0;
    child.kill('SIGKILL');
    latencies.sort((a, b) => a - b);
    const rate = (nodes / elapsed) * 1000;
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? NaN;

    // matrix over every node, after all are evaluated (in-process server on the same database)
    const server = await startServer({ db, port: 0, host: '127.0.0.1', env: { NODEFIT_TOKEN: TOKEN }, log: () => undefined });
    const e0 = performance.now();
    await server.evaluator.drain(256);
    const evalMs = performance.now() - e0;
    const matrix = await timeFn(async () => {
      const r = await fetch(`${server.url}/api/v1/matrix`);
      await r.arrayBuffer();
    }, 7);
    await server.close();
    return [
      {
        name: `ingest ${nodes} snapshots (${Math.round(size / 1000)} kB each), 32 agents, SQLite`,
        medianMs: elapsed,
        target: { text: '>= 1000 snapshots/s', met: rate >= 1000 },
        note: `${rate.toFixed(0)} snapshots/s, p99 latency ${p99.toFixed(1)} ms`,
      },
      { name: `evaluate ${nodes} stored snapshots (background evaluator)`, medianMs: evalMs, note: `${((nodes / evalMs) * 1000).toFixed(0)} nodes/s` },
      { name: `GET /api/v1/matrix over ${nodes} nodes`, medianMs: matrix.medianMs, target: { text: '< 200 ms', met: matrix.medianMs < 200 } },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
