// The `nodefit diff --format json` contract: what changes for each workload between two targets, and the facts that
// moved. Versioned like the report; fields are only ever added.
//
// {
//   "schemaVersion": 1, "kind": "nodefit-diff", "tool": { "name": "nodefit", "version": "…" },
//   "before": Target, "after": Target,                 // kind, description, kernelRelease, os
//   "facts": [ MovedFact ],                            // host-wide: capabilities and kernel release that changed
//   "summary": { "newFailures": n, "fixed": n, "changed": n, "unchanged": n, "workloadsBroken": n, "workloadsFixed": n },
//   "workloads": [ {
//       "workload": "kata-containers" | null,         // null: host-wide checks
//       "status": "breaks" | "fixed" | "changed" | "unchanged",
//       "newFailures": [ Change ], "fixed": [ Change ], "changed": [ Change ], "unchanged": n } ] }
// Change = { checkId, workload, before: Side | null, after: Side | null, movedFacts: [ MovedFact ], trips: boolean }
// Side = { outcome, severity, message }; MovedFact = { fact, before, after, beforeSource?, afterSource? }
// "trips": the change is a new failure at or above --fail-on (what makes `nodefit diff` exit 1).
import type { Outcome, ReportTargetKind, Severity } from '../report.ts';

export const DIFF_SCHEMA_VERSION = 1;

export interface DiffTarget {
  readonly kind: ReportTargetKind;
  readonly description: string;
  readonly kernelRelease: string | null;
  readonly os: { readonly id: string | null; readonly versionId: string | null };
}

export interface MovedFact {
  /** Dotted name: "capabilities.moduleCompression", "kernel.config.CPUSETS_V1", "kernel.release". */
  readonly fact: string;
  /** Value in words; "(absent)" when that side has no such fact. */
  readonly before: string;
  readonly after: string;
  readonly beforeSource?: string;
  readonly afterSource?: string;
}

export interface FindingSide {
  readonly outcome: Outcome;
  readonly severity: Severity;
  readonly message: string;
}

export interface FindingChange {
  readonly checkId: string;
  readonly workload: string | null;
  /** null: the check did not report this finding on that side. */
  readonly before: FindingSide | null;
  readonly after: FindingSide | null;
  readonly movedFacts: readonly MovedFact[];
  /** A new failure at or above the --fail-on level used for the diff. */
  readonly trips: boolean;
  readonly references: readonly string[];
}

export type WorkloadStatus = 'breaks' | 'fixed' | 'changed' | 'unchanged';

export interface WorkloadDiff {
  readonly workload: string | null;
  readonly status: WorkloadStatus;
  /** Failing (or warning) after, passing/unknown/absent before. */
  readonly newFailures: readonly FindingChange[];
  /** Failing before, no longer after. */
  readonly fixed: readonly FindingChange[];
  /** Outcome or severity moved otherwise (e.g. pass → unknown, warn → fail). */
  readonly changed: readonly FindingChange[];
  readonly unchanged: number;
}

export interface DiffSummary {
  readonly newFailures: number;
  readonly fixed: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly workloadsBroken: number;
  readonly workloadsFixed: number;
}

export interface DiffReport {
  readonly schemaVersion: typeof DIFF_SCHEMA_VERSION;
  readonly kind: 'nodefit-diff';
  readonly tool: { readonly name: 'nodefit'; readonly version: string };
  readonly before: DiffTarget;
  readonly after: DiffTarget;
  readonly facts: readonly MovedFact[];
  readonly summary: DiffSummary;
  readonly workloads: readonly WorkloadDiff[];
}
