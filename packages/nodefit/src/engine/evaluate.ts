// STUB (owned by the KB/engine work, issue #3): snapshot + workloads (+ image) → report. The signature is the contract.
import type { Snapshot } from '../facts/snapshot.ts';
import type { ImageFacts } from '../image/image-facts.ts';
import type { Report } from './report.ts';

export interface EvaluateOptions {
  /** Workload ids to evaluate; default every known workload. Unknown ids are a UserError. */
  readonly workloads?: readonly string[];
  /** Directories of user profiles (--kb DIR), in the built-in format. */
  readonly kbDirs?: readonly string[];
  /** Facts about a container image, for the host × image cross-checks. */
  readonly image?: ImageFacts;
}

export function evaluate(_snapshot: Snapshot, _options: EvaluateOptions = {}): Report {
  throw new Error('evaluate: not implemented yet');
}
