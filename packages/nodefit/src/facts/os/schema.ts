// Shape of the OS facts: which distribution family decides remediation text and default behaviours.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

/** Families that get their own remediation text; "other" still gets the generic one. */
export const OsFamily = z.enum([
  'bottlerocket',
  'talos',
  'flatcar',
  'rhel',
  'ubuntu',
  'debian',
  'amazonlinux',
  'suse',
  'alpine',
  'arch',
  'cos',
  'other',
]);
export type OsFamily = z.infer<typeof OsFamily>;

export const OsRelease = z
  .object({
    id: z.string(),
    idLike: z.array(z.string()),
    name: z.string().optional(),
    prettyName: z.string().optional(),
    versionId: z.string().optional(),
    variantId: z.string().optional(),
    buildId: z.string().optional(),
    family: OsFamily,
  })
  .strict();
export type OsRelease = z.infer<typeof OsRelease>;

export const OsFacts = z
  .object({
    release: factSchema(OsRelease),
    /** uname -m style: x86_64, aarch64, … */
    arch: factSchema(z.string()),
  })
  .strict();
export type OsFacts = z.infer<typeof OsFacts>;
