// The check contract (ESLint-rule style): metadata a person reads plus a pure evaluate over facts, never the host.
import type { Capabilities } from '../capabilities/capabilities.ts';
import type { Evidence } from '../capabilities/capability.ts';
import type { OsFamily } from '../facts/os/schema.ts';
import type { HostFacts } from '../facts/snapshot.ts';
import type { ImageFacts } from '../image/image-facts.ts';
import type { FixAction } from '../engine/fix-action.ts';
import type { Outcome, Remediation, Severity } from '../engine/report.ts';
import type { Requirement, WorkloadProfile } from './profile-types.ts';

export type { Remediation };

export interface CheckMeta {
  /** Stable public id (DESIGN.md), also the SARIF rule id. */
  readonly id: string;
  readonly title: string;
  /** What the check looks at and why it matters: the text `nodefit explain` prints. */
  readonly description: string;
  /** Severity of a failure unless configuration overrides it; requirement findings take the requirement's level. */
  readonly defaultSeverity: Severity;
  /** Kernel commits, upstream issues, docs URLs. */
  readonly references: readonly string[];
  /** Remediation per OS family ("any" for the generic text). */
  readonly remediation: readonly Remediation[];
}

/** Everything a check may look at: the target's facts and derived capabilities, the workloads, optionally an image. */
export interface CheckContext {
  readonly facts: HostFacts;
  readonly capabilities: Capabilities;
  /** Parsed kernel version of the target (release, or the config header), null when unknown. */
  readonly kernelVersion: readonly [number, number, number] | null;
  /** The workloads being evaluated, in the order the user gave them. */
  readonly workloads: readonly WorkloadProfile[];
  /** The OS family of the target, for remediation selection; "other" when unknown. */
  readonly osFamily: OsFamily;
  readonly image?: ImageFacts;
}

export interface CheckResult {
  /** The workload the result is about, or null for host-wide results. */
  readonly workload: string | null;
  readonly outcome: Outcome;
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** The workload requirement this result judges: its level (required/optional) decides the severity. */
  readonly requirement?: Requirement;
  /** Extra remediation specific to this result, shown before the check's own. */
  readonly remediation?: readonly Remediation[];
  readonly actions?: readonly FixAction[];
}

export interface Check {
  readonly meta: CheckMeta;
  evaluate(ctx: CheckContext): readonly CheckResult[];
}
