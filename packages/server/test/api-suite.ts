// The fleet API behaviour every storage backend must show; run against SQLite and PostgreSQL by the two test files.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { test } from 'node:test';
import { startServer, type RunningServer } from '../src/index.ts';
import { snapshotFor, wire } from './helpers/snapshots.ts';

const TOKEN = 'test-token-0123456789';

async function post(server: RunningServer, body: string, token: string | null = TOKEN, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
  if (token !== null) h.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/api/v1/snapshots`, { method: 'POST', headers: h, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function get(server: RunningServer, path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export function apiSuite(name: string, dbUrl: () => Promise<string | undefined>): void {
  test(`${name}: fleet API`, async (t) => {
    const url = await dbUrl();
    if (url === undefined) return;
    const server = await startServer({ db: url, port: 0, host: '127.0.0.1', env: { NODEFIT_TOKEN: TOKEN }, maxBodyBytes: 4 * 1024 * 1024, log: () => undefined });
    t.after(() => server.close());
    const snap = wire(await snapshotFor('node-a'));

    await t.test('uploads without or with a wrong token are refused with 401 and store nothing', async () => {
      assert.equal((await post(server, snap, null)).status, 401);
      assert.equal((await post(server, snap, 'wrong')).status, 401);
      assert.equal(await server.store.snapshotCount(), 0);
    });

    await t.test('malformed, foreign and oversized bodies get 400/413 with the reason', async () => {
      const bad = await post(server, '{"kind": "nodefit-snapshot", ');
      assert.equal(bad.status, 400);
      assert.match(String(bad.json.error), /not valid JSON/);
      const foreign = await post(server, JSON.stringify({ hello: 'world' }));
      assert.equal(foreign.status, 400);
      assert.match(String(foreign.json.error), /invalid snapshot/);
      const wrongType = JSON.parse(snap) as { facts: { kernel: { release: unknown } } };
      wrongType.facts.kernel.release = { state: 'known', value: 42, source: 'x' };
      const typed = await post(server, JSON.stringify(wrongType));
      assert.equal(typed.status, 400);
      assert.match(String(typed.json.error), /\/facts\/kernel\/release/);
      const huge = await post(server, JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }));
      assert.equal(huge.status, 413);
      // without a Content-Length (chunked), the limit is counted as the body streams in; on its own connection, as the
      // server answers before reading the rest
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/api/v1/snapshots`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        const chunk = 'x'.repeat(1024 * 1024);
        for (let i = 0; i < 5; i++) req.write(chunk);
        req.end();
      });
      assert.equal(chunked.status, 413);
      assert.match(chunked.body, /larger than/);
      assert.equal(await server.store.snapshotCount(), 0);
    });

    await t.test('a valid snapshot is stored (201), a resend of the same content is a duplicate (200)', async () => {
      const first = await post(server, snap);
      assert.equal(first.status, 201);
      assert.equal(first.json.node, 'node-a');
      const again = await post(server, snap);
      assert.equal(again.status, 200);
      assert.equal(again.json.duplicate, true);
      assert.equal(await server.store.snapshotCount(), 1);
    });

    await t.test('hostile node names are refused', async () => {
      const s = JSON.parse(snap) as { target: { hostname: string } };
      s.target.hostname = '<script>alert(1)</script>';
      assert.equal((await post(server, JSON.stringify(s))).status, 400);
    });

    await t.test('stored snapshots are evaluated; nodes, findings, matrix and stats reflect them', async () => {
      for (const n of ['node-b', 'node-c']) assert.equal((await post(server, wire(await snapshotFor(n)))).status, 201);
      await server.evaluator.drain();
      const nodes = (await get(server, '/api/v1/nodes')).json.nodes as Array<{ name: string; evaluated: boolean; kernelRelease: string }>;
      assert.deepEqual(nodes.map((n) => n.name), ['node-a', 'node-b', 'node-c']);
      assert.ok(nodes.every((n) => n.evaluated));
      const detail = await get(server, '/api/v1/nodes/node-b');
      assert.equal(detail.status, 200);
      assert.ok((detail.json.findings as unknown[]).length > 0, 'evaluation produced findings');
      const matrix = (await get(server, '/api/v1/matrix')).json as { workloads: string[]; rows: Array<{ node: string; cells: Record<string, string> }> };
      assert.equal(matrix.rows.length, 3);
      assert.ok(matrix.workloads.length > 0);
      assert.equal(Object.keys(matrix.rows[0]!.cells).length, matrix.workloads.length);
      const stats = (await get(server, '/api/v1/stats')).json as { nodes: number; kernels: Array<{ nodes: number }> };
      assert.equal(stats.nodes, 3);
      assert.equal(stats.kernels[0]!.nodes, 3);
      assert.equal((await get(server, '/api/v1/nodes/nope')).status, 404);
    });

    await t.test('findings across the fleet, filtered by check and outcome', async () => {
      const all = (await get(server, '/api/v1/findings')).json.findings as Array<{ node: string; checkId: string; outcome: string }>;
      const perNode = (await get(server, '/api/v1/nodes/node-b')).json.findings as unknown[];
      assert.equal(all.length, 3 * perNode.length, 'every finding of every node, once');
      assert.deepEqual([...new Set(all.map((f) => f.node))], ['node-a', 'node-b', 'node-c']);
      const failing = (await get(server, '/api/v1/findings?outcome=fail')).json.findings as Array<{ outcome: string; evidence?: unknown }>;
      assert.ok(failing.length > 0);
      assert.ok(failing.every((f) => f.outcome === 'fail' && f.evidence !== undefined));
      const checkId = all[0]!.checkId;
      const one = (await get(server, `/api/v1/findings?checkId=${encodeURIComponent(checkId)}&node=node-a`)).json.findings as Array<{ node: string; checkId: string }>;
      assert.ok(one.length > 0 && one.every((f) => f.checkId === checkId && f.node === 'node-a'));
    });

    await t.test('filters narrow the node list', async () => {
      const kernel = ((await get(server, '/api/v1/nodes')).json.nodes as Array<{ kernelRelease: string }>)[0]!.kernelRelease;
      const byKernel = (await get(server, `/api/v1/nodes?kernel=${encodeURIComponent(kernel)}`)).json.nodes as unknown[];
      assert.equal(byKernel.length, 3);
      const none = (await get(server, '/api/v1/nodes?kernel=0.0.0')).json.nodes as unknown[];
      assert.equal(none.length, 0);
    });

    await t.test('health and metrics endpoints answer', async () => {
      assert.equal((await get(server, '/healthz')).status, 200);
      assert.equal((await get(server, '/readyz')).status, 200);
      const m = await fetch(`${server.url}/metrics`);
      const text = await m.text();
      assert.match(text, /nodefit_snapshots_ingested_total\{result="stored"\} 3/);
      assert.match(text, /nodefit_fleet_nodes 3/);
    });

    await t.test('re-evaluation marks every node stale and evaluates them again', async () => {
      const res = await fetch(`${server.url}/api/v1/reevaluate`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 202);
      assert.equal(((await res.json()) as { pending: number }).pending, 3);
      await server.evaluator.drain();
      assert.equal(await server.store.pendingCount(server.evaluator.kbVersion), 0);
    });

    await t.test('a snapshot from a newer agent: fields this server has no schema for are dropped and named, the rest stored and judged', async () => {
      const newer = JSON.parse(wire(await snapshotFor('node-newer'))) as { facts: Record<string, Record<string, unknown>> };
      newer.facts.kernel!.futureFact = { state: 'known', value: { lanes: 4 }, source: '/proc/future' };
      newer.facts.futureArea = { gadgets: { state: 'unknown', tried: ['/sys/gadgets'], reason: 'absent' } };
      (newer.facts.os!.release as { value: Record<string, unknown> }).value.futureField = 'x';
      const r = await post(server, JSON.stringify(newer));
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.deepEqual(r.json.dropped, ['/facts/os/release/value/futureField', '/facts/kernel/futureFact', '/facts/futureArea']);
      assert.equal(r.json.droppedCount, 3);
      const stored = await get(server, '/api/v1/nodes/node-newer/snapshot');
      const facts = (stored.json as { facts: Record<string, Record<string, unknown>> }).facts;
      assert.equal(facts.futureArea, undefined);
      assert.equal(facts.kernel!.futureFact, undefined);
      assert.deepEqual(stored.json, JSON.parse(wire(await snapshotFor('node-newer'))));
      await server.evaluator.drain();
      const node = await get(server, '/api/v1/nodes/node-newer');
      assert.ok((node.json.findings as unknown[]).length > 0, 'judged like any node');
      // the same upload again is the same stored content
      assert.equal((await post(server, JSON.stringify(newer))).json.duplicate, true);
      const m = await (await fetch(`${server.url}/metrics`)).text();
      // counted once, for the snapshot stored, not again for its duplicate
      assert.match(m, /nodefit_snapshot_fields_dropped_total 3/);
      // a field whose type changed is not an addition: refused as before
      (newer.facts.kernel!.release as { value: unknown }).value = 42;
      assert.equal((await post(server, JSON.stringify(newer))).status, 400);
    });

    await t.test('what-if evaluates the chosen nodes against a candidate snapshot', async () => {
      const candidate = await snapshotFor('candidate');
      const res = await fetch(`${server.url}/api/v1/what-if`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nodes: ['node-a', 'node-b'], candidate: JSON.parse(wire(candidate)) as unknown }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { results: Array<{ node: string; newlyFailing: unknown[] }>; dropped?: unknown };
      assert.deepEqual(body.results.map((r) => r.node), ['node-a', 'node-b']);
      // same kernel as the nodes themselves: nothing changes
      assert.ok(body.results.every((r) => r.newlyFailing.length === 0));
      assert.equal(body.dropped, undefined);
      // a candidate from a newer CLI: judged without what this server does not know, and the answer says what
      const newer = JSON.parse(wire(candidate)) as { facts: Record<string, unknown> };
      newer.facts.futureArea = { x: 1 };
      const res2 = await fetch(`${server.url}/api/v1/what-if`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nodes: ['node-a'], candidate: newer }),
      });
      assert.equal(res2.status, 200);
      const body2 = (await res2.json()) as { dropped?: unknown; droppedCount?: unknown; results: unknown[] };
      assert.deepEqual([body2.dropped, body2.droppedCount, body2.results.length], [['/facts/futureArea'], 1, 1]);
    });
  });
}
