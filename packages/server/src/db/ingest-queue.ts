// Group commit: uploads arriving together are written in one transaction, each caller answered only after it commits.
import type { FleetStore, IngestItem, IngestResult } from './fleet-store.ts';

interface Waiting {
  readonly item: IngestItem;
  resolve(r: IngestResult): void;
  reject(e: unknown): void;
}

export class IngestQueue {
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly store: FleetStore,
    private readonly maxBatch = 128,
  ) {}

  enqueue(item: IngestItem): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // let the other requests already parsed in this turn of the event loop join the batch
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const results = await this.store.ingestMany(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i] as IngestResult));
      } catch (e) {
        // a failed batch is retried one by one, so one bad item cannot refuse its neighbours
        for (const w of batch) {
          try {
            const [r] = await this.store.ingestMany([w.item]);
            w.resolve(r as IngestResult);
          } catch (e2) {
            w.reject(batch.length === 1 ? e : e2);
          }
        }
      }
    }
    this.flushing = false;
  }
}
