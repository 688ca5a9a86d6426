// Validates incoming snapshots against the JSON Schema nodefit generates from its own types (compiled once, fast).
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { dropUnknownFields, MAX_DROPPED, type JsonSchema } from './drop-unknown-fields.ts';

/**
 * A valid snapshot, as it is to be stored: the value itself, or, from an agent newer than this server, the value
 * without the fields this server does not know (`dropped` names them).
 */
export type Validation = { readonly ok: true; readonly value: unknown; readonly dropped: readonly string[] } | { readonly ok: false; readonly reason: string };

export function loadSnapshotValidator(): (value: unknown) => Validation {
  const path = fileURLToPath(import.meta.resolve('nodefit/snapshot.schema.json'));
  const schema = JSON.parse(fs.readFileSync(path, 'utf8')) as JsonSchema;
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  const validate = ajv.compile(schema);
  const firstError = (): string => {
    const e = validate.errors?.[0];
    const where = e?.instancePath === undefined || e.instancePath === '' ? '(root)' : e.instancePath;
    return `invalid snapshot at ${where}: ${e?.message ?? 'schema mismatch'}`;
  };
  return (value) => {
    if (validate(value)) return { ok: true, value, dropped: [] };
    const sent = firstError();
    const newer = dropUnknownFields(schema, value);
    if (!newer.ok) return { ok: false, reason: `${sent} (and more than ${MAX_DROPPED} fields this server has no schema for)` };
    if (newer.dropped.length === 0) return { ok: false, reason: sent };
    if (validate(newer.value)) return { ok: true, value: newer.value, dropped: newer.dropped };
    // an addition was not the only difference: name the one that is, not the unknown field before it
    return { ok: false, reason: `${firstError()} (with ${newer.dropped.length} fields this server has no schema for set aside)` };
  };
}
