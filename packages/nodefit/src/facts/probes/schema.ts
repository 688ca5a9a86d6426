// Shape of active-probe results: what the running kernel answered inside throwaway namespaces (opt-in, issue #6).
import { z } from 'zod';
import { factSchema } from '../fact.ts';

export const NftCellResult = z
  .object({
    family: z.string(),
    type: z.string(),
    hook: z.string(),
    accepted: z.boolean(),
    /** The kernel's / nft's own error text when rejected. */
    error: z.string().optional(),
  })
  .strict();

export const ProbeFacts = z
  .object({
    nftChains: factSchema(z.array(NftCellResult)).optional(),
    iptablesLegacyUsable: factSchema(z.boolean()).optional(),
    iptablesNftUsable: factSchema(z.boolean()).optional(),
    binfmtSurvivesUnmount: factSchema(z.boolean()).optional(),
    /** Module name → "ok" or modprobe's error text. */
    modprobeDryRun: factSchema(z.record(z.string(), z.string())).optional(),
  })
  .strict();
export type ProbeFacts = z.infer<typeof ProbeFacts>;
