// Probe: which nft base chains the running kernel accepts, each tried with the real `nft` in a throwaway network namespace.
import { known, unknown, type Fact } from '../facts/fact.ts';
import type { NftCellResult } from '../facts/probes/schema.ts';
import { findTool, firstLine } from './exec.ts';
import { runInNewNamespaces, withScratchDir } from './netns-script.ts';
import { allNftCells, cellResult, cellRuleset } from './nft-cells.ts';

/**
 * One `unshare --net` for the whole matrix: the script loads each cell's one-chain ruleset with its own `nft -f`
 * (so one failure never hides another) and records the exit status and stderr beside it.
 */
const SCRIPT = `set -u
dir=$1; nft=$2; n=$3
i=0
while [ "$i" -lt "$n" ]; do
  "$nft" -f "$dir/cell-$i.nft" >/dev/null 2>"$dir/cell-$i.err"
  echo $? >"$dir/cell-$i.rc"
  i=$((i + 1))
done
echo done >"$dir/finished"
`;

/** The whole matrix takes ~3 s here; the limit is for a wedged nft or a machine too loaded to answer. */
const MATRIX_TIMEOUT_MS = 120_000;

export function probeNftChains(nftPath?: string, timeoutMs = MATRIX_TIMEOUT_MS): Fact<NftCellResult[]> {
  const tried = ['unshare --net', 'nft -f'];
  const nft = nftPath ?? findTool('nft');
  if (nft === null) return unknown(tried, 'nft is not installed, so the chain matrix cannot be probed');
  const cells = allNftCells();
  return withScratchDir('nodefit-nft-probe-', (s) => {
    cells.forEach((c, i) => s.write(`cell-${i}.nft`, cellRuleset(c, i)));
    const script = s.write('probe.sh', SCRIPT);
    const out = runInNewNamespaces(['--net'], script, [s.dir, nft, String(cells.length)], timeoutMs);
    if (!out.ok) {
      const done = cells.filter((_, i) => s.read(`cell-${i}.rc`) !== null).length;
      return unknown(tried, `${out.reason} after ${String(done)} of ${String(cells.length)} cells`);
    }
    if (s.read('finished') === null) {
      return unknown(tried, `the probe did not finish in the new network namespace: ${firstLine(out.run.stderr) || `exit ${String(out.run.status)}`}`);
    }
    const results: NftCellResult[] = [];
    for (const [i, c] of cells.entries()) {
      const rc = s.read(`cell-${i}.rc`);
      if (rc === null) return unknown(tried, `no result for cell ${i}`);
      results.push(cellResult(c, Number(rc.trim()), s.read(`cell-${i}.err`) ?? ''));
    }
    return known(results, `${nft} -f in a new network namespace (unshare --net)`);
  });
}
