// Validates incoming snapshots against the JSON Schema nodefit generates from its own types (compiled once, fast).
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

export type Validation = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function loadSnapshotValidator(): (value: unknown) => Validation {
  const path = fileURLToPath(import.meta.resolve('nodefit/snapshot.schema.json'));
  const schema = JSON.parse(fs.readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return { ok: true };
    const e = validate.errors?.[0];
    const where = e?.instancePath === undefined || e.instancePath === '' ? '(root)' : e.instancePath;
    return { ok: false, reason: `invalid snapshot at ${where}: ${e?.message ?? 'schema mismatch'}` };
  };
}
