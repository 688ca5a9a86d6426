// Evaluates stored snapshots in the background, so ingest acknowledges as soon as a snapshot is durable.
import { decodeSnapshot, type Report, type Snapshot, type WireSnapshot } from 'nodefit';
import type { FleetStore } from '../db/fleet-store.ts';

export type EvaluateFn = (snapshot: Snapshot) => Report;

export class Evaluator {
  private running = false;
  private wakeRequested = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  evaluatedTotal = 0;
  failedTotal = 0;
  /** When the last upload arrived: evaluation yields to ingest bursts (acknowledge fast, evaluate in the gaps). */
  private lastIngestAt = 0;
  private lastBatchAt = 0;
  private lastPruneAt = 0;
  /** The batch in progress: concurrent drains (the background one, an explicit one) take turns batch by batch. */
  private batchDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: FleetStore,
    private kbVersionValue: string,
    private readonly evaluateFn: EvaluateFn,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  get kbVersion(): string {
    return this.kbVersionValue;
  }

  /** A new knowledge-base version makes every stored evaluation stale. */
  setKbVersion(v: string): void {
    this.kbVersionValue = v;
    this.wake();
  }

  /** Called on every upload. */
  noteIngest(): void {
    this.lastIngestAt = Date.now();
    this.wake();
  }

  /**
   * While uploads keep arriving, wait for a quiet moment, but never longer than maxDeferMs since the last batch, so a
   * steady stream of uploads cannot starve evaluation.
   */
  private async yieldToIngest(quietMs: number, maxDeferMs: number): Promise<void> {
    while (!this.stopped && Date.now() - this.lastIngestAt < quietMs && Date.now() - this.lastBatchAt < maxDeferMs) {
      await new Promise((r) => setTimeout(r, quietMs));
    }
    this.lastBatchAt = Date.now();
  }

  /** Evaluates everything pending, in batches; returns how many nodes were evaluated. */
  async drain(batch = 64, deferToIngest = false): Promise<number> {
    let done = 0;
    for (;;) {
      if (deferToIngest) await this.yieldToIngest(200, 10_000);
      // two drains evaluating the same node at once would race on its findings (on PostgreSQL one of the two
      // transactions fails on node_workloads' key and that node is recorded as not evaluable)
      const previous = this.batchDone;
      let release: () => void = () => undefined;
      this.batchDone = new Promise<void>((r) => {
        release = r;
      });
      await previous;
      try {
        const evaluated = await this.evaluateBatch(batch);
        if (evaluated === 0 || this.stopped) {
          // pruning scans every snapshot: at most once a minute, never on the hot path of a burst
          if (done > 0 && Date.now() - this.lastPruneAt > 60_000) {
            this.lastPruneAt = Date.now();
            await this.store.prune();
          }
          return done;
        }
        done += evaluated;
      } finally {
        release();
      }
    }
  }

  /** Evaluates up to `batch` pending nodes; returns how many (0: nothing was pending). */
  private async evaluateBatch(batch: number): Promise<number> {
    const pending = await this.store.pending(this.kbVersionValue, batch);
    if (this.stopped) return 0;
    let done = 0;
    for (const p of pending) {
      const body = await this.store.snapshotBody(p.snapshotId);
      try {
        // A node whose latest snapshot row is gone (deleted by hand, a partial restore) would otherwise come back
        // first in every batch, and a batch of only such nodes would end the drain with the rest still waiting.
        if (body === undefined) throw new Error('its stored body is missing');
        const report = this.evaluateFn(decodeSnapshot(JSON.parse(body) as WireSnapshot));
        await this.store.storeEvaluation(p.nodeId, p.snapshotId, this.kbVersionValue, report);
        this.evaluatedTotal += 1;
      } catch (e) {
        // a snapshot that cannot be evaluated must not block the queue: record an empty evaluation and say why
        this.failedTotal += 1;
        this.onError(`evaluation of snapshot ${p.snapshotId} failed: ${e instanceof Error ? e.message : String(e)}`);
        await this.store.storeEvaluation(p.nodeId, p.snapshotId, this.kbVersionValue, emptyReport());
      }
      done += 1;
    }
    return done;
  }

  /** Runs drain soon; coalesces many wake-ups (one per ingest) into one pass. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.running = true;
    setImmediate(() => {
      this.drain(16, true)
        .catch((e: unknown) => this.onError(`evaluator: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          this.running = false;
          if (this.wakeRequested) {
            this.wakeRequested = false;
            this.wake();
          }
        });
    });
  }

  /** Periodic sweep as a safety net (e.g. after a restart with pending work). */
  start(intervalMs = 5000): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  async idle(): Promise<void> {
    while (this.running || this.wakeRequested) await new Promise((r) => setTimeout(r, 10));
  }
}

function emptyReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'nodefit', version: 'unknown' },
    target: { kind: 'snapshot', description: '', kernelRelease: null, os: { id: null, versionId: null }, capabilities: {} },
    summary: { pass: 0, fail: 0, warn: 0, unknown: 0, notApplicable: 0 },
    findings: [],
  };
}
