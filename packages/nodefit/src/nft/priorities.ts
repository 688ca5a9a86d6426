// nft's standard chain priority names and their values per family (nft(8) "Standard priority names"; nftables
// src/rule.c std_prios / bridge_std_prios), and the evaluation of `name`, `name + n`, `name - n`, `n`, `-n`.

const INET_PRIOS: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const BRIDGE_PRIOS: Readonly<Record<string, number>> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };
/** arp and netdev know only `filter`. */
const FILTER_ONLY: Readonly<Record<string, number>> = { filter: 0 };

export function standardPriorities(family: string): Readonly<Record<string, number>> {
  switch (family) {
    case 'bridge':
      return BRIDGE_PRIOS;
    case 'arp':
    case 'netdev':
      return FILTER_ONLY;
    default:
      return INET_PRIOS;
  }
}

export type PriorityValue =
  | { readonly ok: true; readonly value: number }
  /** nftRefuses: nft itself will not load it ("invalid priority expression value in this context"). */
  | { readonly ok: false; readonly reason: string; readonly nftRefuses: boolean };

/**
 * Hooks a standard name may be used on, measured with nft 1.0.6 (`nft -c` over every family × hook × name):
 * dstnat only on prerouting, srcnat only on postrouting, bridge "out" only on output; the other names on any hook.
 */
const NAME_HOOKS: Readonly<Record<string, readonly string[]>> = { dstnat: ['prerouting'], srcnat: ['postrouting'], out: ['output'] };

export function priorityNameUsable(name: string, hook: string): boolean {
  const only = NAME_HOOKS[name];
  return only === undefined || only.includes(hook);
}

const INT = /^\d{1,10}$/;

/** Evaluates a priority written as words ("mangle", "-", "10" / "mangle-10" / "-160") for a hook; never throws. */
export function evaluatePriority(words: readonly string[], family: string, hook: string): PriorityValue {
  const w = words.flatMap((x) => {
    const m = /^([A-Za-z_]+)([+-])(\d+)$/.exec(x);
    return m === null ? [x] : [m[1] as string, m[2] as string, m[3] as string];
  });
  if (w.length === 0) return { ok: false, reason: 'no priority given', nftRefuses: true };
  const table = standardPriorities(family);
  let i: number;
  let base: number;
  if (w[0] === '-' && w.length >= 2 && INT.test(w[1] as string)) {
    base = -Number(w[1]);
    i = 2;
  } else if (INT.test(w[0] as string)) {
    base = Number(w[0]);
    i = 1;
  } else if (Object.hasOwn(table, w[0] as string)) {
    if (!priorityNameUsable(w[0] as string, hook)) {
      return { ok: false, reason: `nft refuses priority "${w[0] ?? ''}" on the ${hook} hook (invalid priority expression value in this context)`, nftRefuses: true };
    }
    base = table[w[0] as string] as number;
    i = 1;
  } else {
    return { ok: false, reason: `"${w[0] ?? ''}" is not a standard priority name in the ${family} family (${Object.keys(table).join(', ')})`, nftRefuses: /^[A-Za-z_]+$/.test(w[0] ?? '') };
  }
  if (i === w.length) return { ok: true, value: base };
  if ((w[i] === '+' || w[i] === '-') && i + 2 === w.length && INT.test(w[i + 1] as string)) {
    const off = Number(w[i + 1]);
    return { ok: true, value: w[i] === '+' ? base + off : base - off };
  }
  return { ok: false, reason: `cannot evaluate priority "${words.join(' ')}"`, nftRefuses: false };
}
