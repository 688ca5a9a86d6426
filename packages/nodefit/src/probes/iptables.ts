// Probe: can legacy and nft iptables tables be used at all, tried in a throwaway network namespace.
import { known, unknown, type Fact } from '../facts/fact.ts';
import { findTool, firstLine } from './exec.ts';
import { runInNewNamespaces, withScratchDir } from './netns-script.ts';

export interface IptablesProbe {
  readonly legacy: Fact<boolean>;
  readonly nft: Fact<boolean>;
  /** The tool's own words when a backend said no. */
  readonly details: Record<string, string>;
}

/**
 * Listing the filter table makes the kernel instantiate it in the new namespace: legacy via getsockopt
 * (IPT_SO_GET_INFO, "Table does not exist (do you need to insmod?)" when ip_tables/iptable_filter are missing),
 * nft via netlink. -w: the xtables lock file is the only thing outside the namespace either touches.
 */
const SCRIPT = `dir=$1
if [ -n "$2" ]; then "$2" -w -t filter -L -n >/dev/null 2>"$dir/legacy.err"; echo $? >"$dir/legacy.rc"; fi
if [ -n "$3" ]; then "$3" -w -t filter -L -n >/dev/null 2>"$dir/nft.err"; echo $? >"$dir/nft.rc"; fi
echo done >"$dir/finished"
`;

export function probeIptables(): IptablesProbe {
  const legacyBin = findTool('iptables-legacy');
  const nftBin = findTool('iptables-nft');
  const details: Record<string, string> = {};
  return withScratchDir('nodefit-ipt-probe-', (s) => {
    const script = s.write('probe.sh', SCRIPT);
    const out = runInNewNamespaces(['--net'], script, [s.dir, legacyBin ?? '', nftBin ?? '']);
    const one = (key: 'legacy' | 'nft', bin: string | null, name: string): Fact<boolean> => {
      const tried = ['unshare --net', `${name} -t filter -L`];
      if (bin === null) return unknown(tried, `${name} is not installed`);
      if (!out.ok) return unknown(tried, out.reason);
      if (s.read('finished') === null) return unknown(tried, `the probe did not finish: ${firstLine(out.run.stderr)}`);
      const rc = s.read(`${key}.rc`);
      if (rc === null) return unknown(tried, `no result from ${name}`);
      const ok = rc.trim() === '0';
      if (!ok) details[key === 'legacy' ? 'iptablesLegacyUsable' : 'iptablesNftUsable'] = firstLine(s.read(`${key}.err`) ?? '') || `exit ${rc.trim()}`;
      return known(ok, `${bin} -t filter -L in a new network namespace (unshare --net)`);
    };
    return { legacy: one('legacy', legacyBin, 'iptables-legacy'), nft: one('nft', nftBin, 'iptables-nft'), details };
  });
}
