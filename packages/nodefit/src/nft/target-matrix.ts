// The target kernel's verdict per nft family × type × hook, from the best evidence the target has: a probe (the
// running kernel's own answer), the derived capability matrix, or the static rules applied to version + config.
import type { NftCell } from '../capabilities/capabilities.ts';
import type { HostFacts } from '../facts/snapshot.ts';
import { chainRule } from './chain-rules.ts';

export type Verdict = 'accepted' | 'rejected' | 'unsupported' | 'unknown';

export interface CellVerdict {
  readonly verdict: Verdict;
  readonly reason: string;
  /** Where the verdict came from. */
  readonly source: 'probe' | 'capabilities' | 'rules';
}

export type CellVerdictFn = (family: string, type: string, hook: string) => CellVerdict;

function releaseVersion(release: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release.trim());
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

function before(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The static rules applied to the target's kernel release and config. */
export function rulesVerdict(facts: Pick<HostFacts, 'kernel'>, family: string, type: string, hook: string): CellVerdict {
  const rule = chainRule(family, type, hook);
  if (!rule.valid) return { verdict: 'rejected', reason: rule.why, source: 'rules' };
  const rel = facts.kernel.release;
  const ver = rel.state === 'known' ? releaseVersion(rel.value) : undefined;
  if (ver !== undefined && before(ver, rule.since)) {
    return { verdict: 'unsupported', reason: `${rule.note} needs Linux ${rule.since.join('.')}+, the target runs ${rel.state === 'known' ? rel.value : '?'}`, source: 'rules' };
  }
  const cfg = facts.kernel.config;
  if (cfg.state !== 'known') {
    return { verdict: 'unknown', reason: `kernel config unknown (${cfg.reason}); ${rule.note} needs ${rule.config.map((g) => g.map((o) => `CONFIG_${o}`).join(' or ')).join(', ')}`, source: 'rules' };
  }
  for (const group of rule.config) {
    const on = group.some((o) => cfg.value.options.get(o) === 'y' || cfg.value.options.get(o) === 'm');
    if (!on) return { verdict: 'unsupported', reason: `${group.map((o) => `CONFIG_${o}`).join(' or ')} is not set in the target's kernel config`, source: 'rules' };
  }
  if (ver === undefined) return { verdict: 'unknown', reason: `kernel release unknown; ${rule.note} needs Linux ${rule.since.join('.')}+`, source: 'rules' };
  return { verdict: 'accepted', reason: `${rule.note}: Linux ${rule.since.join('.')}+ and the config options are set`, source: 'rules' };
}

/**
 * Picks the evidence per cell: a known probe result wins (the running kernel answered), then a derived capability
 * cell that is not unknown, then the static rules.
 */
export function targetVerdicts(facts: Pick<HostFacts, 'kernel' | 'probes'>, derived?: readonly NftCell[]): CellVerdictFn {
  const probed = facts.probes?.nftChains;
  const probeCells = probed?.state === 'known' ? probed.value : [];
  return (family, type, hook) => {
    const p = probeCells.find((c) => c.family === family && c.type === type && c.hook === hook);
    if (p !== undefined) {
      return p.accepted
        ? { verdict: 'accepted', reason: 'the running kernel accepted this base chain (probe)', source: 'probe' }
        : { verdict: 'rejected', reason: `the running kernel refused it (probe): ${p.error ?? 'no message'}`, source: 'probe' };
    }
    const d = derived?.find((c) => c.family === family && c.type === type && c.hook === hook);
    if (d !== undefined && d.verdict !== 'unknown') return { verdict: d.verdict, reason: d.reason, source: 'capabilities' };
    return rulesVerdict(facts, family, type, hook);
  };
}
