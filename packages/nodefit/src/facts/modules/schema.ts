// Shape of the module facts: what the module tree holds, what is loaded, and what may stop a load.
import { z } from 'zod';
import { factSchema } from '../fact-schema.ts';

export const ModuleCompression = z.enum(['none', 'gzip', 'xz', 'zstd']);
export type ModuleCompression = z.infer<typeof ModuleCompression>;

export const ModuleFile = z
  .object({
    /** Path relative to the module directory, e.g. "kernel/net/ipv4/netfilter/iptable_raw.ko.xz". */
    path: z.string(),
    compression: ModuleCompression,
  })
  .strict();
export type ModuleFile = z.infer<typeof ModuleFile>;

export const LoadedModule = z
  .object({
    size: z.number().int().nonnegative(),
    /** -1 when /proc/modules shows "-" (kernel without CONFIG_MODULE_UNLOAD: no reference counts). */
    refcount: z.number().int(),
    usedBy: z.array(z.string()),
    state: z.string(),
  })
  .strict();

export const ModprobeConfig = z
  .object({
    /** Files read, in the order modprobe reads them. */
    files: z.array(z.string()),
    /** "blacklist m": stops alias-based autoload only; an explicit modprobe m still loads it. */
    blacklist: z.array(z.string()),
    /** "install m /bin/true" (or /bin/false, or anything): what runs instead of loading m. */
    install: z.record(z.string(), z.string()),
    /** Options lines, for evidence. */
    options: z.record(z.string(), z.string()),
  })
  .strict();
export type ModprobeConfig = z.infer<typeof ModprobeConfig>;

export const ModuleFacts = z
  .object({
    /** The directory the tree was read from, e.g. "/lib/modules/6.1.0-27-amd64". */
    dir: factSchema(z.string()),
    /** Module name (dashes folded to underscores) → its file. */
    files: factSchema(z.record(z.string(), ModuleFile)),
    /** Module name → names of the modules it depends on (modules.dep, or derived from .modinfo). */
    deps: factSchema(z.record(z.string(), z.array(z.string()))),
    /** Names of modules built into the kernel image (modules.builtin). */
    builtin: factSchema(z.array(z.string())),
    /** Names with modinfo entries in modules.builtin.modinfo (catches built-ins without modules.builtin lines). */
    builtinModinfo: factSchema(z.array(z.string())),
    /** Literal (non-wildcard) aliases from modules.alias: alias → module names. */
    aliases: factSchema(z.record(z.string(), z.array(z.string()))),
    softdeps: factSchema(z.record(z.string(), z.object({ pre: z.array(z.string()), post: z.array(z.string()) }).strict())),
    /** Module names in modules.order order. */
    order: factSchema(z.array(z.string())),
    /** /proc/modules: module name → state. */
    loaded: factSchema(z.record(z.string(), LoadedModule)),
    /** /sys/module entries (loaded modules plus built-ins with parameters). */
    sysModule: factSchema(z.array(z.string())),
    /** /sys/module/compression: the format the kernel decompresses itself; null when the file is absent (no MODULE_DECOMPRESS). */
    kernelDecompression: factSchema(z.union([z.enum(['gzip', 'xz', 'zstd']), z.null()])),
    /** /proc/sys/kernel/modules_disabled = 1 means no module can be loaded until reboot. */
    modulesDisabled: factSchema(z.boolean()),
    /** /sys/kernel/security/lockdown: the bracketed mode. */
    lockdown: factSchema(z.enum(['none', 'integrity', 'confidentiality'])),
    /** /sys/module/module/parameters/sig_enforce. */
    sigEnforce: factSchema(z.boolean()),
    modprobe: factSchema(ModprobeConfig),
  })
  .strict();
export type ModuleFacts = z.infer<typeof ModuleFacts>;
