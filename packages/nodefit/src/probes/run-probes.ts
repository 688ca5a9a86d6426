// Runs every active probe (opt-in) and returns ProbeFacts; each probe lives in its own throwaway namespaces.
import { unknown } from '../facts/fact.ts';
import type { ProbeFacts } from '../facts/probes/schema.ts';
import { probeBinfmtLifetime } from './binfmt.ts';
import { probeIptables } from './iptables.ts';
import { DEFAULT_PROBE_MODULES, probeModprobe } from './modprobe.ts';
import { probeNftChains } from './nft-matrix.ts';
import { checkProbePrivileges } from './privileges.ts';

export interface ProbeOptions {
  /** Modules to ask `modprobe --dry-run` about; defaults to DEFAULT_PROBE_MODULES. */
  readonly modules?: readonly string[];
  /** The target's kernel config MODULES value, when known. */
  readonly configModules?: string;
  /** Text of /proc/self/status, for tests of the privilege gate. */
  readonly statusText?: string;
}

export function runProbes(opts: ProbeOptions = {}): ProbeFacts {
  const modules = opts.modules ?? DEFAULT_PROBE_MODULES;
  const priv = checkProbePrivileges(opts.statusText);
  if (!priv.ok) {
    const u = (tried: string) => unknown(['/proc/self/status CapEff', tried], priv.reason);
    return {
      nftChains: u('unshare --net + nft -f'),
      iptablesLegacyUsable: u('unshare --net + iptables-legacy'),
      iptablesNftUsable: u('unshare --net + iptables-nft'),
      binfmtSurvivesUnmount: u('unshare --user --mount + binfmt_misc'),
      // a dry run needs no privilege, but it is only meaningful next to the other probes
      modprobeDryRun: probeModprobe(modules, { configModules: opts.configModules }),
    };
  }
  const ipt = probeIptables();
  const facts: ProbeFacts = {
    nftChains: probeNftChains(),
    iptablesLegacyUsable: ipt.legacy,
    iptablesNftUsable: ipt.nft,
    binfmtSurvivesUnmount: probeBinfmtLifetime(),
    modprobeDryRun: probeModprobe(modules, { configModules: opts.configModules }),
  };
  return Object.keys(ipt.details).length > 0 ? { ...facts, details: ipt.details } : facts;
}
