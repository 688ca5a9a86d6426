// Shape of the cgroup facts: which hierarchies exist, which controllers each has, and the boot switches that shaped them.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

/**
 * From the mount table: v2 = only cgroup2 (systemd "unified"); v1 = only v1 hierarchies ("legacy"); hybrid = both,
 * usually systemd's layout with every controller on v1 and a controller-less cgroup2 at /sys/fs/cgroup/unified.
 * runc and the kubelet treat hybrid as v1 (they ask whether /sys/fs/cgroup itself is cgroup2).
 */
export const CgroupMode = z.enum(['v1', 'v2', 'hybrid', 'none']);
export type CgroupMode = z.infer<typeof CgroupMode>;

export const CgroupHierarchy = z
  .object({
    version: z.union([z.literal(1), z.literal(2)]),
    mountPoint: z.string(),
    /** v1: the controllers bound to this mount (and name=… options kept as "name=systemd"); v2: cgroup.controllers. */
    controllers: z.array(z.string()),
  })
  .strict();

export const ProcCgroupsLine = z
  .object({
    name: z.string(),
    hierarchy: z.number().int(),
    numCgroups: z.number().int(),
    enabled: z.boolean(),
  })
  .strict();

export const CgroupCmdline = z
  .object({
    /** cgroup_no_v1=all or a list of controllers. */
    noV1: z.array(z.string()),
    /** systemd.unified_cgroup_hierarchy=0/1, when given. */
    systemdUnified: z.boolean().optional(),
    /** systemd.legacy_systemd_cgroup_controller, when given. */
    systemdLegacyController: z.boolean().optional(),
    enable: z.array(z.string()),
    disable: z.array(z.string()),
    /** cgroup_v1_proc=0/1 (restores the full /proc/cgroups listing on newer kernels), when given. */
    v1Proc: z.boolean().optional(),
  })
  .strict();
export type CgroupCmdline = z.infer<typeof CgroupCmdline>;

export const CgroupFacts = z
  .object({
    mode: factSchema(CgroupMode),
    hierarchies: factSchema(z.array(CgroupHierarchy)),
    procCgroups: factSchema(z.array(ProcCgroupsLine)),
    /** Root cgroup.controllers of the v2 hierarchy. */
    v2Controllers: factSchema(z.array(z.string())),
    /** Root cgroup.subtree_control of the v2 hierarchy. */
    v2SubtreeControl: factSchema(z.array(z.string())),
    cmdline: factSchema(CgroupCmdline),
  })
  .strict();
export type CgroupFacts = z.infer<typeof CgroupFacts>;
