// Runs `nodefit serve` as a separate process, the way agents meet it in production, and finds its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(import.meta.dirname, '../../../nodefit/dist/cli.cjs');

export function startServerProcess(db: string, token: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], {
      env: { ...process.env, ...extraEnv, NODEFIT_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^ ]+)/.exec(err);
      if (m?.[1] !== undefined) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

/** Concurrent agents: `concurrency` loops POSTing body(i) for i < count; returns the HTTP status of each. */
export async function uploadAll(url: string, token: string, count: number, body: (i: number) => string, concurrency: number): Promise<number[]> {
  const statuses: number[] = new Array<number>(count).fill(0);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        try {
          const res = await fetch(`${url}/api/v1/snapshots`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: body(i),
          });
          await res.arrayBuffer();
          statuses[i] = res.status;
        } catch {
          statuses[i] = -1;
        }
      }
    }),
  );
  return statuses;
}
