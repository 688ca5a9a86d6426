// The fleet server: wires storage, background evaluation and the HTTP API together; `nodefit serve` starts it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { evaluate, loadUserProfiles, TOOL, type Snapshot } from 'nodefit';
import { createApp } from './api/app.ts';
import { loadToken } from './api/auth.ts';
import { createMetrics } from './api/metrics.ts';
import { loadSnapshotValidator } from './api/snapshot-validator.ts';
import { FleetStore } from './db/fleet-store.ts';
import { openDatabase, type OpenDatabase } from './db/open-database.ts';
import { Evaluator } from './evaluation/evaluator.ts';
import { staticFilesFrom } from './static-files.ts';
import { makeWhatIf } from './what-if-adapter.ts';

export { createApp } from './api/app.ts';
export { FleetStore } from './db/fleet-store.ts';
export { openDatabase } from './db/open-database.ts';
export { Evaluator } from './evaluation/evaluator.ts';

export interface ServerOptions {
  /** SQLite file path (default) or postgres:// URL. */
  readonly db: string;
  readonly port: number;
  readonly host: string;
  readonly tokenFile?: string;
  readonly kbDirs?: readonly string[];
  readonly maxBodyBytes?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly store: FleetStore;
  readonly evaluator: Evaluator;
  close(): Promise<void>;
}

/** Knowledge-base version: the tool version plus the content of user profiles; a change re-evaluates every node. */
export function knowledgeBaseVersion(kbDirs: readonly string[] = []): string {
  const h = createHash('sha256').update(TOOL.version);
  for (const dir of kbDirs) {
    for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  }
  return `${TOOL.version}-${h.digest('hex').slice(0, 16)}`;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const token = loadToken(o.tokenFile, o.env ?? process.env);
  const opened: OpenDatabase = await openDatabase(o.db, log);
  const store = new FleetStore(opened.db, opened.ingestBatch);
  const kbDirs = o.kbDirs ?? [];
  // user profiles are parsed and validated once at start: a broken --kb stops the server with the file:line:col
  const profiles = await loadUserProfiles(kbDirs);
  const evalOne = (s: Snapshot) => evaluate(s, { profiles });
  const epoch = await store.getMeta('reevaluate-epoch');
  const evaluator = new Evaluator(store, `${knowledgeBaseVersion(kbDirs)}${epoch === undefined ? '' : `+${epoch}`}`, evalOne, log);
  const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  const app = createApp({
    store,
    evaluator,
    metrics: createMetrics(),
    validate: loadSnapshotValidator(),
    token,
    maxBodyBytes: o.maxBodyBytes ?? 16 * 1024 * 1024,
    whatIf: makeWhatIf(evalOne),
    serveStatic: staticFilesFrom(webDist),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  evaluator.start();
  if (token === undefined) log('nodefit serve: no token configured (--token-file or NODEFIT_TOKEN): uploads are refused');
  log(`nodefit serve: listening on http://${o.host}:${port} (${opened.kind})`);
  return {
    url: `http://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host}:${port}`,
    port,
    store,
    evaluator,
    async close() {
      evaluator.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // idle keep-alive connections would otherwise hold close() open until they time out
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await evaluator.idle();
      await opened.close();
    },
  };
}
