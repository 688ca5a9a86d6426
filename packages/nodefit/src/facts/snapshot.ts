// The snapshot: every fact about one target, versioned, with no judgement in it; `scan` writes it and every target reads into it.
import { z } from 'zod';
import { BinfmtFacts } from './binfmt/schema.ts';
import { CgroupFacts } from './cgroups/schema.ts';
import { KernelFacts } from './kernel/schema.ts';
import { ModuleFacts } from './modules/schema.ts';
import { NetfilterFacts } from './netfilter/schema.ts';
import { OsFacts } from './os/schema.ts';
import { ProbeFacts } from './probes/schema.ts';

import { SNAPSHOT_SCHEMA_VERSION } from './snapshot-version.ts';

export { SNAPSHOT_SCHEMA_VERSION };

export const TargetKind = z.enum(['live', 'root', 'snapshot', 'kernel-config', 'kernel-package', 'modules']);
export type TargetKind = z.infer<typeof TargetKind>;

export const HostFacts = z
  .object({
    os: OsFacts,
    kernel: KernelFacts,
    modules: ModuleFacts,
    cgroups: CgroupFacts,
    binfmt: BinfmtFacts,
    netfilter: NetfilterFacts,
    probes: ProbeFacts.optional(),
  })
  .strict();
export type HostFacts = z.infer<typeof HostFacts>;

export const Snapshot = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
    kind: z.literal('nodefit-snapshot'),
    tool: z.object({ name: z.literal('nodefit'), version: z.string() }).strict(),
    target: z
      .object({
        /** How the facts were collected; a snapshot read back keeps the kind it was collected from. */
        kind: TargetKind,
        /** What the user pointed at: "/", "/host", "linux-image-6.1.0-27-amd64-unsigned_….deb". */
        description: z.string(),
        /** Node name, when known (DaemonSet agent sets it from the downward API). */
        hostname: z.string().optional(),
      })
      .strict(),
    facts: HostFacts,
  })
  .strict();
export type Snapshot = z.infer<typeof Snapshot>;
