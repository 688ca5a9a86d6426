// Shape of active-probe results: what the running kernel answered inside throwaway namespaces (opt-in, issue #6).
// The capabilities layer lets these override its static derivations (showing both when they disagree), so the
// field names below are a contract: add optional fields, never rename.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

export const NftCellResult = z
  .object({
    /** ip, ip6, inet, arp, bridge, netdev. */
    family: z.string(),
    /** filter, nat, route. */
    type: z.string(),
    /** prerouting, input, forward, output, postrouting, ingress, egress. */
    hook: z.string(),
    accepted: z.boolean(),
    /** nft's own error text when rejected, e.g. "Could not process rule: Operation not supported". */
    error: z.string().optional(),
    /**
     * Who refused: "kernel" when the netlink request came back with an error (the kernel's verdict), "nft" when the
     * nft binary refused before asking the kernel (e.g. "The arp family does not support this hook").
     */
    origin: z.enum(['kernel', 'nft']).optional(),
  })
  .strict();
export type NftCellResult = z.infer<typeof NftCellResult>;

export const ProbeFacts = z
  .object({
    /** One cell per family × type × hook (6 × 3 × 7), each tried as a base chain in a fresh network namespace. */
    nftChains: factSchema(z.array(NftCellResult)).optional(),
    /** `iptables-legacy -t filter -L` worked in a fresh network namespace. */
    iptablesLegacyUsable: factSchema(z.boolean()).optional(),
    /** `iptables-nft -t filter -L` worked in a fresh network namespace. */
    iptablesNftUsable: factSchema(z.boolean()).optional(),
    /** A dummy handler registered in a private binfmt_misc instance was still there after unmount + mount. */
    binfmtSurvivesUnmount: factSchema(z.boolean()).optional(),
    /** Module name → "ok" or modprobe's error text. */
    modprobeDryRun: factSchema(z.record(z.string(), z.string())).optional(),
    /** Probe name → the tool's own words when it said no (iptablesLegacyUsable → "can't initialize iptables table …"). */
    details: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type ProbeFacts = z.infer<typeof ProbeFacts>;
