// The snapshot's JSON form: the facts as they are, except the four maps with thousands of keys, written as lines.
// V8 parses a 4,000-key object about ten times slower than the same data as strings, and a fleet server parses every upload.
import { z } from 'zod';
import { factSchema } from './fact-schema.ts';
import { KernelConfig, KernelFacts } from './kernel/schema.ts';
import { ModuleFacts } from './modules/schema.ts';
import { HostFacts, Snapshot } from './snapshot.ts';

export const WireKernelConfig = KernelConfig.omit({ options: true })
  .extend({
    /** One "NAME=value" per line, sorted, without the CONFIG_ prefix; "n" stands for "is not set". */
    options: z.string(),
  })
  .strict();

export const WireModuleFacts = ModuleFacts.extend({
  /** Module file paths relative to the module directory; name and compression follow from the path, as kmod derives them. */
  files: factSchema(z.array(z.string())),
  /** "name: dep dep …" lines. */
  deps: factSchema(z.array(z.string())),
  /** "alias module module …" lines. */
  aliases: factSchema(z.array(z.string())),
}).strict();

export const WireHostFacts = HostFacts.extend({
  kernel: KernelFacts.extend({ config: factSchema(WireKernelConfig) }).strict(),
  modules: WireModuleFacts,
}).strict();

export const WireSnapshot = Snapshot.extend({ facts: WireHostFacts }).strict();
export type WireSnapshot = z.infer<typeof WireSnapshot>;
