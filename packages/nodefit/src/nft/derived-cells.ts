// The capabilities layer's nft matrix for a target (deriveCapabilities in src/capabilities/derive.ts): nft-lint and
// nodefit probe use it so every command gives the same verdict per cell as `nodefit check`.
import type { NftCell } from '../capabilities/capabilities.ts';
import { deriveCapabilities } from '../capabilities/derive.ts';
import type { HostFacts } from '../facts/snapshot.ts';

/** The derived cells, or undefined when the derivation has no matrix for this target (the linter's rules then apply). */
export function derivedNftCells(facts: HostFacts): readonly NftCell[] | undefined {
  try {
    const cap = deriveCapabilities(facts).nftChains;
    return cap.value === 'unknown' ? undefined : cap.value;
  } catch {
    // a derivation bug must not take the linter down with it: the static rules still give an answer
    return undefined;
  }
}
