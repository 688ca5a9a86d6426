// The snapshot format version, kept apart from the zod schema so writing a snapshot never loads the validator.

/**
 * Within one version a release may only add members (a new fact, a new field in an object): a fleet server older
 * than its agents drops what it does not know and judges the rest (packages/server drop-unknown-fields.ts). So a new
 * member must never change what its siblings mean (a `stale: true` beside a known value, a `priority` that tells two
 * chains apart), and a new fact state or enum value, a changed type or a removed member needs the next version.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;
