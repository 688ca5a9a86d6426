// Zod schema for Fact<T>, apart from fact.ts so collectors (which only build facts) never load the validator.
import { z } from 'zod';

/** Zod schema for a Fact<T>, so the snapshot JSON Schema is generated from the same source as the types. */
export function factSchema<S extends z.ZodType>(value: S) {
  return z.discriminatedUnion('state', [
    z.object({ state: z.literal('known'), value, source: z.string() }).strict(),
    z.object({ state: z.literal('unknown'), tried: z.array(z.string()), reason: z.string() }).strict(),
  ]);
}
