// The snapshot format version, kept apart from the zod schema so writing a snapshot never loads the validator.
export const SNAPSHOT_SCHEMA_VERSION = 1;
