// Text rendering of probe results: one line per probe, the nft matrix as a table, disagreements with the static view.
import type { Fact } from '../facts/fact.ts';
import type { ProbeFacts } from '../facts/probes/schema.ts';
import type { CellDisagreement } from './compare.ts';
import { NFT_FAMILIES, NFT_HOOKS, NFT_TYPES } from './nft-cells.ts';

function factText<T>(f: Fact<T> | undefined, show: (v: T) => string): string {
  if (f === undefined) return 'not probed';
  return f.state === 'known' ? show(f.value) : `unknown (${f.reason})`;
}

const SHORT: Readonly<Record<string, string>> = { prerouting: 'pre', input: 'in', forward: 'fwd', output: 'out', postrouting: 'post', ingress: 'ingress', egress: 'egress' };

export function renderProbesText(p: ProbeFacts, disagreements: readonly CellDisagreement[] | undefined): string {
  const lines: string[] = [];
  const m = p.nftChains;
  if (m === undefined || m.state !== 'known') {
    lines.push(`nft chain matrix: ${factText(m, () => '')}`);
  } else {
    lines.push(`nft chain matrix (base chains the running kernel accepted in a new network namespace; via ${m.source}):`);
    for (const family of NFT_FAMILIES) {
      for (const type of NFT_TYPES) {
        const ok = NFT_HOOKS.filter((hook) => m.value.some((c) => c.family === family && c.type === type && c.hook === hook && c.accepted));
        lines.push(`  ${family.padEnd(7)}${type.padEnd(7)}${ok.length === 0 ? '-' : ok.map((h) => SHORT[h] ?? h).join(' ')}`);
      }
    }
    const kernelErrors = new Map<string, number>();
    for (const c of m.value) if (!c.accepted && c.error !== undefined) kernelErrors.set(`${c.origin ?? 'nft'}: ${c.error}`, (kernelErrors.get(`${c.origin ?? 'nft'}: ${c.error}`) ?? 0) + 1);
    for (const [e, n] of kernelErrors) lines.push(`  refused ${n}× by ${e}`);
  }
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const detail = (key: string) => (p.details?.[key] === undefined ? '' : ` (${p.details[key]})`);
  lines.push(`iptables legacy usable in a new netns: ${factText(p.iptablesLegacyUsable, (b) => yes(b) + (b ? '' : detail('iptablesLegacyUsable')))}`);
  lines.push(`iptables nft usable in a new netns: ${factText(p.iptablesNftUsable, (b) => yes(b) + (b ? '' : detail('iptablesNftUsable')))}`);
  lines.push(
    `binfmt_misc registrations survive the last unmount: ${factText(p.binfmtSurvivesUnmount, (b) => (b ? 'yes (registrations are pinned)' : 'no (the last unmount clears them; keep a host mount)'))}`,
  );
  lines.push(
    `modprobe --dry-run: ${factText(p.modprobeDryRun, (r) =>
      Object.entries(r)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    )}`,
  );
  if (disagreements === undefined) lines.push('static nft matrix: not available for comparison');
  else if (disagreements.length === 0) lines.push('static nft matrix: agrees with the probe in every cell');
  else {
    lines.push(`static nft matrix disagrees with the probe in ${disagreements.length} cell(s); the probe wins:`);
    for (const d of disagreements) lines.push(`  ${d.cell}: probe ${d.probed}${d.probeError === undefined ? '' : ` (${d.probeError})`}, static ${d.static} (${d.staticReason})`);
  }
  return lines.join('\n') + '\n';
}
