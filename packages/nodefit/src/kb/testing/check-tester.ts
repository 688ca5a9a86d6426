// Strict table-driven tester for checks (in the spirit of ESLint's RuleTester): each check gets pass, fail and unknown
// cases built from facts; malformed tables (empty, duplicate names, unknown keys) are rejected before anything runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveCapabilities } from '../../capabilities/derive.ts';
import type { Outcome } from '../../engine/report.ts';
import type { HostFacts } from '../../facts/snapshot.ts';
import type { ImageFacts } from '../../image/image-facts.ts';
import { BUILTIN_WORKLOADS } from '../builtin-workloads.ts';
import type { Check, CheckContext, CheckResult } from '../check.ts';
import type { WorkloadProfile } from '../profile-types.ts';
import { parseKernelVersion } from '../version-range.ts';

export interface CheckCase {
  /** Unique within the table; says what situation it models (and, for real data, where it comes from). */
  readonly name: string;
  readonly facts: HostFacts;
  /** Workload ids (built-in) or full profiles; default every built-in workload. */
  readonly workloads?: readonly (string | WorkloadProfile)[];
  readonly image?: ImageFacts;
  /** Only results about this workload (null: host-wide results) are judged. */
  readonly workload?: string | null;
  /** Only results for this requirement id are judged. */
  readonly requirement?: string;
  /** For fail cases: the flagged outcome expected (default fail; warn where a check only warns without an image). */
  readonly outcome?: 'fail' | 'warn';
  /** Every judged result's message must match (string: substring). */
  readonly message?: string | RegExp;
}

export interface CheckTable {
  readonly pass: readonly CheckCase[];
  readonly fail: readonly CheckCase[];
  readonly unknown: readonly CheckCase[];
}

const TABLE_KEYS = ['pass', 'fail', 'unknown'] as const;
const CASE_KEYS = new Set(['name', 'facts', 'workloads', 'image', 'workload', 'requirement', 'outcome', 'message']);

/** Worst first: the outcome a set of results is summed up by. */
const RANK: Record<Outcome, number> = { fail: 4, warn: 3, unknown: 2, pass: 1, 'not-applicable': 0 };

export function worstOutcome(results: readonly CheckResult[]): Outcome | null {
  let worst: Outcome | null = null;
  for (const r of results) if (worst === null || RANK[r.outcome] > RANK[worst]) worst = r.outcome;
  return worst;
}

/** Throws on a malformed table: missing or empty lists, extra keys, duplicate names, cases in the wrong list. */
export function validateTable(checkId: string, table: CheckTable): void {
  const raw = table as unknown as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!(TABLE_KEYS as readonly string[]).includes(k)) throw new Error(`${checkId}: unknown table key ${JSON.stringify(k)}`);
  const names = new Set<string>();
  for (const k of TABLE_KEYS) {
    const list = raw[k];
    if (!Array.isArray(list) || list.length === 0) throw new Error(`${checkId}: the ${k} table is empty; every check needs ${TABLE_KEYS.join(', ')} cases`);
    for (const c of list as CheckCase[]) {
      for (const key of Object.keys(c)) if (!CASE_KEYS.has(key)) throw new Error(`${checkId}: case ${JSON.stringify(c.name)} has unknown key ${JSON.stringify(key)}`);
      if (typeof c.name !== 'string' || c.name.trim() === '') throw new Error(`${checkId}: a ${k} case has no name`);
      if (names.has(c.name)) throw new Error(`${checkId}: duplicate case name ${JSON.stringify(c.name)}`);
      names.add(c.name);
      if (k !== 'fail' && c.outcome !== undefined) throw new Error(`${checkId}: ${k} case ${JSON.stringify(c.name)} sets outcome; only fail cases may`);
    }
  }
}

export function contextFor(c: Pick<CheckCase, 'facts' | 'workloads' | 'image'>): CheckContext {
  const byId = new Map(BUILTIN_WORKLOADS.map((w) => [w.id, w]));
  const workloads = (c.workloads ?? BUILTIN_WORKLOADS).map((w) => {
    if (typeof w !== 'string') return w;
    const p = byId.get(w);
    if (p === undefined) throw new Error(`unknown built-in workload ${JSON.stringify(w)}`);
    return p;
  });
  const k = c.facts.kernel;
  const release = k.release.state === 'known' ? k.release.value : k.config.state === 'known' ? k.config.value.headerVersion : undefined;
  const os = c.facts.os.release;
  return {
    facts: c.facts,
    capabilities: deriveCapabilities(c.facts),
    kernelVersion: release === undefined ? null : parseKernelVersion(release),
    workloads,
    osFamily: os.state === 'known' ? os.value.family : 'other',
    ...(c.image === undefined ? {} : { image: c.image }),
  };
}

/** The results a case judges. */
export function judged(check: Check, c: CheckCase): CheckResult[] {
  return check.evaluate(contextFor(c)).filter(
    (r) => (c.workload === undefined || r.workload === c.workload) && (c.requirement === undefined || r.requirement?.id === c.requirement),
  );
}

/** Registers one node:test test per case. */
export function runCheckTable(check: Check, table: CheckTable): void {
  validateTable(check.meta.id, table);
  for (const kind of TABLE_KEYS) {
    for (const c of table[kind]) {
      void test(`${check.meta.id} ${kind}: ${c.name}`, () => {
        const results = judged(check, c);
        assert.ok(results.length > 0, `no results matched (workload ${String(c.workload)}, requirement ${String(c.requirement)})`);
        const expected: Outcome = kind === 'fail' ? (c.outcome ?? 'fail') : kind;
        const worst = worstOutcome(results);
        assert.equal(worst, expected, results.map((r) => `${r.workload ?? '-'} ${r.requirement?.id ?? ''} ${r.outcome}: ${r.message}`).join('\n'));
        if (c.message !== undefined) {
          for (const r of results.filter((x) => x.outcome === expected)) {
            if (typeof c.message === 'string') assert.ok(r.message.includes(c.message), `message ${JSON.stringify(r.message)} lacks ${JSON.stringify(c.message)}`);
            else assert.match(r.message, c.message);
          }
        }
      });
    }
  }
}
