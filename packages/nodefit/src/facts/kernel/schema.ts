// Shape of the kernel facts: release, build string, command line, and the parsed kernel configuration.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

/**
 * One option's state. "n" is an explicit "# CONFIG_X is not set"; an option absent from the map is unknown
 * to this config (it may not exist in this kernel version), which checks must treat differently.
 */
export const ConfigValue = z.string();
export type ConfigValue = z.infer<typeof ConfigValue>;

export const KernelConfig = z
  .object({
    /**
     * Keys without the CONFIG_ prefix, in file order: MODULES → "y", IP_NF_IPTABLES → "m", CPUSETS_V1 → "n",
     * LOCALVERSION → "\"-amd64\"". A Map, not a record: filling one costs V8 a third fewer instructions than an object
     * with 10,000 keys, and a symbol named like an Object.prototype key is just another key. Read-only because one parsed
     * config is shared by every collector and check of a run.
     */
    options: z.map(z.string(), ConfigValue).readonly(),
    /** Release named in the config header, if any ("Linux/x86 6.1.0 Kernel Configuration"). */
    headerVersion: z.string().optional(),
    /** Lines that were neither options nor comments: kept so a damaged file is visible, not silently trusted. */
    malformedLines: z.number().int().nonnegative(),
  })
  .strict();
export type KernelConfig = z.infer<typeof KernelConfig>;

export const KernelFacts = z
  .object({
    /** uname -r, e.g. "6.1.0-27-amd64". */
    release: factSchema(z.string()),
    /** /proc/version or uname -v. */
    version: factSchema(z.string()),
    /** Kernel command line split into words. */
    cmdline: factSchema(z.array(z.string())),
    config: factSchema(KernelConfig),
    /**
     * Active swap areas from /proc/swaps (paths), empty when swap is off or the kernel has none (CONFIG_SWAP unset:
     * no /proc/swaps). Optional so snapshots written before nodefit read it still load; absent means not read.
     */
    swaps: factSchema(z.array(z.string())).optional(),
  })
  .strict();
export type KernelFacts = z.infer<typeof KernelFacts>;
