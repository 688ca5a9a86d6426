// Fleet server speed: ingest throughput and p99 latency from concurrent agents, and the matrix query over 10,000 nodes.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../packages/server/src/index.ts';
import { bodyFactory } from '../packages/server/test/helpers/snapshots.ts';
import { startServerProcess } from '../packages/server/test/helpers/server-process.ts';
import { timeFn, type BenchRow } from './measure.ts';

const TOKEN = 'bench-token';
const AGENTS = 32;

/**
 * One agent upload over a kept-alive connection. node:http rather than fetch: undici spends several times the server's
 * own CPU per request, and on this machine's two cores the load generator would measure itself, not the server.
 */
function upload(agent: http.Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: '/api/v1/snapshots', method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

export async function serverBench(nodes = 10_000): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-bench-'));
  try {
    const db = path.join(dir, 'fleet.db');
    const body = await bodyFactory();
    const size = body('bench-0').length;
    // the template's bytes once; each upload only encodes its node name
    const parts = body('__BENCH_NODE__').split('"__BENCH_NODE__"');
    if (parts.length !== 2) throw new Error(`the snapshot template names its node ${parts.length - 1} times, expected once`);
    const [head, tail] = parts.map((p) => Buffer.from(p)) as [Buffer, Buffer];
    const bytes = (node: string) => Buffer.concat([head, Buffer.from(JSON.stringify(node)), tail]);
    const { child, url } = await startServerProcess(db, TOKEN);
    const target = new URL(url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: AGENTS });
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    let elapsed: number;
    try {
      await Promise.all(
        Array.from({ length: AGENTS }, async () => {
          while (next < nodes) {
            const i = next++;
            const s = performance.now();
            const status = await upload(agent, target, bytes(`bench-${i}`));
            if (status !== 201) throw new Error(`upload ${i}: HTTP ${status}`);
            latencies.push(performance.now() - s);
          }
        }),
      );
      elapsed = performance.now() - t0;
    } finally {
      // a failed upload must not leave kept-alive sockets and the server holding the bench open
      agent.destroy();
      child.kill('SIGKILL');
    }
    latencies.sort((a, b) => a - b);
    const rate = (nodes / elapsed) * 1000;

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
        name: `ingest ${nodes} snapshots (${Math.round(size / 1000)} kB each), ${AGENTS} agents, SQLite`,
        medianMs: elapsed,
        target: { text: '>= 1000 snapshots/s', met: rate >= 1000 },
        note: `${rate.toFixed(0)} snapshots/s, latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
      },
      { name: `evaluate ${nodes} stored snapshots (background evaluator)`, medianMs: evalMs, note: `${((nodes / evalMs) * 1000).toFixed(0)} nodes/s` },
      { name: `GET /api/v1/matrix over ${nodes} nodes`, medianMs: matrix.medianMs, target: { text: '< 200 ms', met: matrix.medianMs < 200 } },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
