// Shape of the binfmt_misc facts: whether the filesystem is there, mounted, and which handlers are registered.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

export const BinfmtEntry = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    interpreter: z.string(),
    /** Flag letters as the kernel prints them, e.g. "POCF". */
    flags: z.string(),
    /** "magic" or "extension". */
    type: z.enum(['magic', 'extension']),
    offset: z.number().int().nonnegative(),
    /** Lower-case hex. */
    magic: z.string().optional(),
    mask: z.string().optional(),
    extension: z.string().optional(),
    /** Whether the interpreter path exists on this host (with F it was opened at registration, so it need not). */
    interpreterExists: z.boolean().optional(),
  })
  .strict();
export type BinfmtEntry = z.infer<typeof BinfmtEntry>;

export const BinfmtConfigEntry = z
  .object({
    file: z.string(),
    line: z.number().int().positive(),
    /** The register string, ":name:type:offset:magic:mask:interpreter:flags". */
    register: z.string(),
    name: z.string(),
  })
  .strict();

export const BinfmtFacts = z
  .object({
    /** binfmt_misc listed in /proc/filesystems. */
    supported: factSchema(z.boolean()),
    /** Mount points of binfmt_misc in the host's (pid 1's) mount namespace. */
    mounts: factSchema(z.array(z.string())),
    /** /proc/sys/fs/binfmt_misc/status. */
    enabled: factSchema(z.boolean()),
    entries: factSchema(z.array(BinfmtEntry)),
    /** binfmt.d files (systemd-binfmt), parsed. */
    config: factSchema(z.array(BinfmtConfigEntry)),
    /** Whether something mounts binfmt_misc at boot: systemd's proc-sys-fs-binfmt_misc.(auto)mount or fstab. */
    bootMount: factSchema(z.array(z.string())),
  })
  .strict();
export type BinfmtFacts = z.infer<typeof BinfmtFacts>;
