// Sends one snapshot to the fleet server, retrying transient failures with exponential backoff and jitter.
import { oneLine } from '../cli/one-line.ts';

export interface SendOptions {
  readonly server: string;
  readonly token: string | undefined;
  readonly body: string;
  readonly nodeName?: string;
  /** Attempts in all, including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly fetchFn?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export type SendResult =
  | { readonly ok: true; readonly status: number; readonly response: unknown }
  | { readonly ok: false; readonly status: number | null; readonly error: string; readonly retryable: boolean };

/** 4xx other than 408/429 means the request itself is wrong (token, schema): retrying cannot help. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export async function sendSnapshot(o: SendOptions): Promise<SendResult> {
  const doFetch = o.fetchFn ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const url = new URL('/api/v1/snapshots', o.server).toString();
  let last: SendResult = { ok: false, status: null, error: 'not sent', retryable: true };
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
      if (o.nodeName !== undefined) headers['x-nodefit-node'] = o.nodeName;
      const res = await doFetch(url, { method: 'POST', headers, body: o.body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      if (res.ok) {
        let response: unknown = text;
        try {
          response = JSON.parse(text);
        } catch {
          // a non-JSON success body is still a success
        }
        return { ok: true, status: res.status, response };
      }
      let error = text.slice(0, 300);
      try {
        const said = (JSON.parse(text) as { error?: unknown }).error;
        if (typeof said === 'string') error = said;
      } catch {
        // keep the raw text
      }
      last = { ok: false, status: res.status, error, retryable: retryableStatus(res.status) };
      if (!last.retryable) return last;
    } catch (e) {
      last = { ok: false, status: null, error: e instanceof Error ? e.message : String(e), retryable: true };
    }
    if (attempt < o.attempts) {
      const delay = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
      const jittered = delay / 2 + Math.random() * (delay / 2);
      o.log?.(`nodefit report: attempt ${attempt} failed (${last.ok ? '' : oneLine(last.error)}); retrying in ${Math.round(jittered)} ms`);
      await sleep(jittered);
    }
  }
  return last;
}
