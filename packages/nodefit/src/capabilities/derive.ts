// Derives every capability from one set of facts: the single entry point checks, the report and nft-lint use.
import type { HostFacts } from '../facts/snapshot.ts';
import { deriveBinfmtClearsOnUnmount } from './binfmt-clears-on-unmount.ts';
import type { Availability, Capabilities } from './capabilities.ts';
import { deriveCgroupV1Controllers } from './cgroup-v1-controllers.ts';
import { deriveCgroupV2Controllers } from './cgroup-v2-controllers.ts';
import { deriveInKernelDecompression } from './in-kernel-decompression.ts';
import { deriveIptablesLegacy } from './iptables-legacy.ts';
import { deriveIptablesNft } from './iptables-nft.ts';
import { deriveModuleCompression } from './module-compression.ts';
import { deriveModuleLoading } from './module-loading.ts';
import { deriveNftChains } from './nft-chains.ts';
import { withProbe } from './probe-override.ts';

const availability = (ok: boolean): Availability => (ok ? 'available' : 'unavailable');

export function deriveCapabilities(facts: HostFacts): Capabilities {
  const probes = facts.probes;
  return {
    iptablesLegacy: withProbe(deriveIptablesLegacy(facts), probes?.iptablesLegacyUsable, 'iptablesLegacyUsable', availability),
    iptablesNft: withProbe(deriveIptablesNft(facts), probes?.iptablesNftUsable, 'iptablesNftUsable', availability),
    moduleCompression: deriveModuleCompression(facts),
    inKernelDecompression: deriveInKernelDecompression(facts),
    cgroupV1Controllers: deriveCgroupV1Controllers(facts),
    cgroupV2Controllers: deriveCgroupV2Controllers(facts),
    // The probe asks "does a registration survive an unmount", the capability "are they cleared": inverted.
    binfmtClearsOnUnmount: withProbe(deriveBinfmtClearsOnUnmount(facts), probes?.binfmtSurvivesUnmount, 'binfmtSurvivesUnmount', (survives) => !survives),
    nftChains: deriveNftChains(facts),
    moduleLoading: deriveModuleLoading(facts),
  };
}
