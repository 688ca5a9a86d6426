// The nft chain matrix axes and the one-chain ruleset each probe cell loads; pure, so tests can read what is tried.
import type { NftChainType, NftFamily, NftHook } from '../capabilities/capabilities.ts';
import type { NftCellResult } from '../facts/probes/schema.ts';

export const NFT_FAMILIES: readonly NftFamily[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
export const NFT_TYPES: readonly NftChainType[] = ['filter', 'nat', 'route'];
export const NFT_HOOKS: readonly NftHook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'];

export interface NftCellKey {
  readonly family: NftFamily;
  readonly type: NftChainType;
  readonly hook: NftHook;
}

export function allNftCells(): NftCellKey[] {
  const out: NftCellKey[] = [];
  for (const family of NFT_FAMILIES) for (const type of NFT_TYPES) for (const hook of NFT_HOOKS) out.push({ family, type, hook });
  return out;
}

export function cellName(c: { family: string; type: string; hook: string }): string {
  return `${c.family}/${c.type}/${c.hook}`;
}

/** The device every ingress/egress chain binds to: `lo` exists in every new network namespace (CONFIG_DUMMY may be off). */
export const PROBE_DEVICE = 'lo';

/**
 * A ruleset with one base chain for the cell. nat gets priority 100 (> -200, the kernel's nat floor), so the only
 * reason a cell fails is the family/type/hook combination itself. It starts with `flush ruleset` in the same
 * transaction: nft reads the namespace's whole ruleset before every load, so keeping the earlier cells' tables made
 * the matrix quadratic (9 s instead of 3 s here, and past the probe's 120 s limit on a loaded CI machine). A refused
 * cell aborts the whole transaction, flush included, so the kernel's verdict is the same as on an empty namespace.
 */
export function cellRuleset(c: NftCellKey, index: number): string {
  const device = c.hook === 'ingress' || c.hook === 'egress' ? ` device ${PROBE_DEVICE}` : '';
  const priority = c.type === 'nat' ? 100 : 0;
  return `flush ruleset\ntable ${c.family} nodefit_probe_${index} {\n\tchain c {\n\t\ttype ${c.type} hook ${c.hook}${device} priority ${priority};\n\t}\n}\n`;
}

/**
 * nft's complaint without the location prefix and the echoed source lines. "Could not process rule: …" is nft's
 * wording for an error the kernel returned over netlink; anything else was refused by nft itself.
 */
export function classifyNftError(stderr: string): { error: string; origin: 'kernel' | 'nft' } {
  const lines = stderr.split('\n');
  const errLine = lines.find((l) => /\bError: /.test(l));
  const msg = errLine === undefined ? stderr.trim().split('\n')[0] ?? '' : errLine.slice(errLine.indexOf('Error: ') + 'Error: '.length).trim();
  const origin = /^Could not process rule:/.test(msg) ? 'kernel' : 'nft';
  return { error: msg === '' ? 'nft failed without a message' : msg, origin };
}

export function cellResult(c: NftCellKey, status: number | null, stderr: string): NftCellResult {
  if (status === 0) return { family: c.family, type: c.type, hook: c.hook, accepted: true };
  const { error, origin } = classifyNftError(stderr);
  return { family: c.family, type: c.type, hook: c.hook, accepted: false, error, origin };
}
