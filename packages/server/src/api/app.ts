// The fleet HTTP API: agents POST snapshots; the dashboard and scripts read nodes, findings, the matrix and what-ifs.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { decodeSnapshot, type Snapshot, type WireSnapshot } from 'nodefit';
import type { FleetStore, NodeFilter } from '../db/fleet-store.ts';
import { IngestQueue } from '../db/ingest-queue.ts';
import { digestOf, digestOfUpload } from '../db/snapshot-digest.ts';
import type { Evaluator } from '../evaluation/evaluator.ts';
import { bearerMatches } from './auth.ts';
import { uploadLimit } from './body-limit.ts';
import type { ServerMetrics } from './metrics.ts';
import type { Validation } from './snapshot-validator.ts';

export interface WhatIfNodeResult {
  readonly node: string;
  readonly newlyFailing: ReadonlyArray<{ checkId: string; workload: string | null; message: string }>;
  readonly fixed: ReadonlyArray<{ checkId: string; workload: string | null; message: string }>;
}

export interface AppOptions {
  readonly store: FleetStore;
  readonly evaluator: Evaluator;
  readonly metrics: ServerMetrics;
  readonly validate: (value: unknown) => Validation;
  /** Agents must send this bearer token to write; undefined disables writes entirely (read-only server). */
  readonly token: string | undefined;
  /** Largest accepted snapshot upload. */
  readonly maxBodyBytes: number;
  /** "If these nodes got this kernel": per-node changes. */
  readonly whatIf: (nodes: ReadonlyArray<{ name: string; snapshot: Snapshot }>, candidate: Snapshot) => WhatIfNodeResult[];
  /** Static dashboard files (built by packages/web); undefined when not built. */
  readonly serveStatic?: (path: string) => { body: Uint8Array; type: string } | undefined;
  readonly now?: () => Date;
}

function filterFrom(c: Context): NodeFilter {
  const q = (k: string): string | undefined => {
    const v = c.req.query(k);
    return v === undefined || v === '' ? undefined : v;
  };
  const names = c.req.queries('node');
  return { os: q('os'), kernel: q('kernel'), workload: q('workload'), outcome: q('outcome'), names: names?.filter((n) => n !== '') };
}

function problem(c: Context, status: 400 | 401 | 403 | 404 | 413 | 503, message: string) {
  return c.json({ error: message }, status);
}

/** At most this many dropped fields are named back to the agent (each is one line of its log). */
const MAX_DROPPED_SHOWN = 20;

/** The answer's account of what a newer agent sent that this server dropped: the first pointers and how many in all. */
function droppedAnswer(dropped: readonly string[]): { dropped: string[]; droppedCount: number } {
  return { dropped: dropped.slice(0, MAX_DROPPED_SHOWN), droppedCount: dropped.length };
}

/** Node names become URL segments and HTML text: keep them to what Kubernetes allows, and bounded. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** What Request.text() decodes with: UTF-8, a leading byte-order mark dropped, invalid bytes replaced. */
const utf8 = new TextDecoder();

export function createApp(o: AppOptions): Hono {
  const app = new Hono();
  const now = o.now ?? (() => new Date());
  const queue = new IngestQueue(o.store);

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    try {
      await o.store.getMeta('schema');
      return c.json({ ok: true });
    } catch (e) {
      return problem(c, 503, `database unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  app.get('/metrics', async (c) => {
    o.metrics.nodes.set((await o.store.stats()).nodes);
    o.metrics.pending.set(await o.store.pendingCount(o.evaluator.kbVersion));
    return c.text(await o.metrics.registry.metrics(), 200, { 'content-type': o.metrics.registry.contentType });
  });

  const requireToken = async (c: Context, next: () => Promise<void>) => {
    if (o.token === undefined) return problem(c, 403, 'this server accepts no uploads: start it with --token-file or NODEFIT_TOKEN');
    if (!bearerMatches(c.req.header('authorization'), o.token)) {
      o.metrics.ingested.inc({ result: 'unauthorized' });
      return problem(c, 401, 'missing or wrong bearer token');
    }
    await next();
    return undefined;
  };

  app.post(
    '/api/v1/snapshots',
    requireToken,
    uploadLimit(o.maxBodyBytes, (c) => {
      o.metrics.ingested.inc({ result: 'too-large' });
      return problem(c, 413, `snapshot larger than ${o.maxBodyBytes} bytes`);
    }),
    async (c) => {
      const end = o.metrics.ingestSeconds.startTimer();
      // the bytes once: decoded for parsing and storage, hashed as they are for the duplicate check
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const text = utf8.decode(bytes);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        o.metrics.ingested.inc({ result: 'invalid' });
        return problem(c, 400, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      const v = o.validate(value);
      if (!v.ok) {
        o.metrics.ingested.inc({ result: 'invalid' });
        return problem(c, 400, v.reason);
      }
      // from an agent newer than this server: what it does not know is dropped, and the rest stored as the server
      // knows it (re-evaluation reads the stored body back through the same schema)
      const newer = v.dropped.length > 0;
      const stored = newer ? JSON.stringify(v.value) : text;
      const snap = v.value as WireSnapshot;
      const name = snap.target.hostname ?? c.req.header('x-nodefit-node');
      if (name === undefined || !NODE_NAME.test(name)) {
        o.metrics.ingested.inc({ result: 'invalid' });
        return problem(c, 400, 'the snapshot names no valid node (target.hostname or the X-Nodefit-Node header)');
      }
      const rel = snap.facts.os.release;
      const arch = snap.facts.os.arch;
      const kernel = snap.facts.kernel.release;
      const result = await queue.enqueue({
        nodeName: name,
        body: stored,
        digest: newer ? digestOf(stored) : digestOfUpload(bytes, text),
        summary: {
          os: {
            id: rel.state === 'known' ? rel.value.id : null,
            versionId: rel.state === 'known' ? (rel.value.versionId ?? null) : null,
            arch: arch.state === 'known' ? arch.value : null,
          },
          kernelRelease: kernel.state === 'known' ? kernel.value : null,
        },
        now: now(),
      });
      end();
      o.metrics.ingested.inc({ result: result.duplicate ? 'duplicate' : 'stored' });
      if (newer && !result.duplicate) o.metrics.fieldsDropped.inc(v.dropped.length);
      o.evaluator.noteIngest();
      const answer = { node: name, snapshotId: result.snapshotId, duplicate: result.duplicate };
      return c.json(newer ? { ...answer, ...droppedAnswer(v.dropped) } : answer, result.duplicate ? 200 : 201);
    },
  );

  app.get('/api/v1/nodes', async (c) => c.json({ nodes: await o.store.listNodes(filterFrom(c)) }));
  app.get('/api/v1/nodes/:name', async (c) => {
    const node = await o.store.nodeByName(c.req.param('name'));
    if (node === undefined) return problem(c, 404, 'no such node');
    return c.json({ node, findings: await o.store.findingsOf(node.id) });
  });
  app.get('/api/v1/nodes/:name/snapshot', async (c) => {
    const body = await o.store.latestSnapshotOf(c.req.param('name'));
    if (body === undefined) return problem(c, 404, 'no such node');
    return c.body(body, 200, { 'content-type': 'application/json' });
  });
  app.get('/api/v1/findings', async (c) =>
    c.json({ findings: await o.store.findingsAcross(filterFrom(c), { checkId: c.req.query('checkId'), outcome: c.req.query('outcome') }) }),
  );
  app.get('/api/v1/matrix', async (c) => c.body(await o.store.matrixJson(filterFrom(c)), 200, { 'content-type': 'application/json' }));
  app.get('/api/v1/stats', async (c) => c.json(await o.store.stats()));

  app.post('/api/v1/what-if', bodyLimit({ maxSize: o.maxBodyBytes, onError: (c) => problem(c, 413, 'request too large') }), async (c) => {
    let req: { nodes?: unknown; candidate?: unknown };
    try {
      req = await c.req.json<{ nodes?: unknown; candidate?: unknown }>();
    } catch {
      return problem(c, 400, 'not valid JSON');
    }
    const v = o.validate(req.candidate);
    if (!v.ok) return problem(c, 400, `candidate: ${v.reason}`);
    const names = Array.isArray(req.nodes) ? req.nodes.filter((n): n is string => typeof n === 'string') : undefined;
    const nodes = await o.store.listNodes(names === undefined ? filterFrom(c) : { names });
    const inputs: Array<{ name: string; snapshot: Snapshot }> = [];
    for (const n of nodes) {
      const body = await o.store.latestSnapshotOf(n.name);
      if (body !== undefined) inputs.push({ name: n.name, snapshot: decodeSnapshot(JSON.parse(body) as WireSnapshot) });
    }
    const candidate = decodeSnapshot(v.value as WireSnapshot);
    // a candidate from a newer CLI is judged without what this server does not know, and the answer says so
    return c.json({ candidate: candidate.target, results: o.whatIf(inputs, candidate), ...(v.dropped.length > 0 ? droppedAnswer(v.dropped) : {}) });
  });

  app.post('/api/v1/reevaluate', requireToken, async (c) => {
    const epoch = String(Date.now());
    await o.store.setMeta('reevaluate-epoch', epoch);
    o.evaluator.setKbVersion(`${o.evaluator.kbVersion.split('+')[0] ?? ''}+${epoch}`);
    return c.json({ pending: await o.store.pendingCount(o.evaluator.kbVersion) }, 202);
  });

  app.get('*', (c) => {
    const file = o.serveStatic?.(c.req.path === '/' ? '/index.html' : c.req.path) ?? o.serveStatic?.('/index.html');
    if (file === undefined) return c.text('nodefit fleet server: the dashboard is not built (npm run build --workspace packages/web)', 404);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': file.type });
  });

  return app;
}
