// Shape of the netfilter facts: which backend the host actually uses, and what its own iptables is wired to.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

export const IptablesKind = z.enum(['legacy', 'nft', 'wrapper', 'unknown']);
export type IptablesKind = z.infer<typeof IptablesKind>;

export const IptablesBinary = z
  .object({
    /** The path that was looked up, e.g. "/usr/sbin/iptables". */
    path: z.string(),
    /** Every hop of the symlink / alternatives chain, ending at the real file. */
    chain: z.array(z.string()),
    kind: IptablesKind,
  })
  .strict();
export type IptablesBinary = z.infer<typeof IptablesBinary>;

export const NetfilterFacts = z
  .object({
    /** /proc/net/ip_tables_names: legacy IPv4 tables the kernel has instantiated. */
    legacyTablesV4: factSchema(z.array(z.string())),
    /** /proc/net/ip6_tables_names. */
    legacyTablesV6: factSchema(z.array(z.string())),
    /** nf_tables present in the running kernel: loaded module or built in (/sys/module/nf_tables). */
    nfTablesActive: factSchema(z.boolean()),
    iptables: factSchema(IptablesBinary),
    /** Path of the host's nft binary, null when none. */
    nft: factSchema(z.union([z.string(), z.null()])),
    /** /proc/sys/net/bridge exists: br_netfilter is loaded or built in. */
    brNetfilter: factSchema(z.boolean()),
    /**
     * Relevant sysctls by name as sysctl -a prints it (net.ipv4.ip_forward, net.bridge.bridge-nf-call-iptables, …):
     * the value, or null when the key was read and does not exist. A key left out was not read (not asked for, or not
     * readable); snapshots before null was written left out the absent ones too.
     */
    sysctls: factSchema(z.record(z.string(), z.string().nullable())),
  })
  .strict();
export type NetfilterFacts = z.infer<typeof NetfilterFacts>;
