// Where the probed nft matrix and a static one disagree, cell by cell: both are shown, the probe wins.
import type { NftCell } from '../capabilities/capabilities.ts';
import type { NftCellResult } from '../facts/probes/schema.ts';
import { cellName } from './nft-cells.ts';

export interface CellDisagreement {
  readonly cell: string;
  readonly probed: 'accepted' | 'rejected';
  /** What the static derivation said ("unknown" counts as a disagreement: the probe knows better). */
  readonly static: NftCell['verdict'] | 'missing';
  readonly staticReason: string;
  readonly probeError?: string;
}

/** Static "rejected" and "unsupported" both mean the kernel refuses; "accepted" must match an accepted probe. */
export function compareNftMatrix(staticCells: readonly NftCell[], probed: readonly NftCellResult[]): CellDisagreement[] {
  const out: CellDisagreement[] = [];
  for (const p of probed) {
    const s = staticCells.find((c) => c.family === p.family && c.type === p.type && c.hook === p.hook);
    const staticAccepts = s?.verdict === 'accepted';
    const staticRefuses = s?.verdict === 'rejected' || s?.verdict === 'unsupported';
    if ((p.accepted && staticAccepts) || (!p.accepted && staticRefuses)) continue;
    out.push({
      cell: cellName(p),
      probed: p.accepted ? 'accepted' : 'rejected',
      static: s?.verdict ?? 'missing',
      staticReason: s?.reason ?? 'no such cell in the static matrix',
      ...(p.error === undefined ? {} : { probeError: p.error }),
    });
  }
  return out;
}
