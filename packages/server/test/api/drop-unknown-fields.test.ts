// dropUnknownFields against nodefit's own snapshot schema and a real snapshot of this machine: what a newer agent adds
// is dropped exactly, and nothing else is touched.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { dropUnknownFields, type JsonSchema } from '../../src/api/drop-unknown-fields.ts';
import { loadSnapshotValidator } from '../../src/api/snapshot-validator.ts';
import { snapshotFor, wire } from '../helpers/snapshots.ts';

const schema = JSON.parse(fs.readFileSync(fileURLToPath(import.meta.resolve('nodefit/snapshot.schema.json')), 'utf8')) as JsonSchema;
const validate = loadSnapshotValidator();
const real = JSON.parse(wire(await snapshotFor('node-a'))) as Record<string, unknown>;

type Json = Record<string, unknown>;

/** Every object in `v` that the schema closes (additionalProperties: false), with its pointer, following the branch the value is for. */
function closedObjects(s: JsonSchema, v: unknown, path = ''): Array<{ path: string; object: Json; schema: JsonSchema }> {
  const branches = s.oneOf ?? s.anyOf;
  if (branches !== undefined) {
    const b = branches.find((x) => x.properties?.state?.const === undefined || x.properties.state.const === (v as Json | undefined)?.state);
    return b === undefined ? [] : closedObjects(b, v, path);
  }
  if (Array.isArray(v) && s.items !== undefined) return v.flatMap((x, i) => closedObjects(s.items as JsonSchema, x, `${path}/${i}`));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  const here = s.additionalProperties === false ? [{ path, object: v as Json, schema: s }] : [];
  return [
    ...here,
    ...Object.entries(v as Json).flatMap(([k, x]) => {
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      return sub === undefined ? [] : closedObjects(sub, x, `${path}/${k}`);
    }),
  ];
}

test("this machine's real snapshot is valid as it is: nothing is dropped and the value is the same", () => {
  const r = dropUnknownFields(schema, real);
  assert.deepEqual(r.dropped, []);
  assert.deepEqual(r.value, real);
  const v = validate(real);
  assert.ok(v.ok && v.dropped.length === 0 && v.value === real);
});

test('property: members a newer agent adds to any closed object are dropped, exactly those, and the rest is kept', () => {
  const places = closedObjects(schema, real);
  assert.ok(places.length > 40, `only ${places.length} closed objects in a real snapshot`);
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(fc.nat(places.length - 1), fc.stringMatching(/^[a-zA-Z_~/][a-zA-Z0-9_~/]{0,10}$/), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 6, selector: ([i, k]) => `${i} ${k}` }),
      (additions) => {
        const sent = structuredClone(real);
        const expected: string[] = [];
        const placesInSent = closedObjects(schema, sent);
        for (const [i, key, value] of additions) {
          const place = placesInSent[i] as (typeof places)[number];
          if (key === '__proto__' || (place.schema.properties !== undefined && Object.hasOwn(place.schema.properties, key))) continue;
          place.object[key] = value;
          expected.push(`${place.path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        }
        if (expected.length === 0) return;
        const r = dropUnknownFields(schema, sent);
        assert.deepEqual([...r.dropped].sort(), [...new Set(expected)].sort());
        assert.deepEqual(r.value, real);
        const v = validate(sent);
        assert.ok(v.ok, v.ok ? '' : v.reason);
        assert.deepEqual(v.value, real);
      },
    ),
    { numRuns: 150 },
  );
});

test('only additions are dropped: a changed type, a newer schema version or a missing fact still fail, with the reason for what was sent', () => {
  const withExtra = (mutate: (s: Json) => void) => {
    const s = structuredClone(real);
    ((s.facts as Json).kernel as Json).futureFact = { state: 'known', value: 1, source: '/proc/future' };
    mutate(s);
    return validate(s);
  };
  const typed = withExtra((s) => (((s.facts as Json).kernel as Json).release = { state: 'known', value: 42, source: 'x' }));
  assert.ok(!typed.ok && /\/facts\/kernel/.test(typed.reason), JSON.stringify(typed));
  const version = withExtra((s) => (s.schemaVersion = 2));
  assert.ok(!version.ok);
  const missing = withExtra((s) => delete (s.facts as Json).os);
  assert.ok(!missing.ok);
  // the input is never changed
  const s = structuredClone(real);
  (s.facts as Json).futureArea = { a: 1 };
  const before = JSON.stringify(s);
  assert.ok(validate(s).ok);
  assert.equal(JSON.stringify(s), before);
});

test('a record member named __proto__ stays a member, never the prototype', () => {
  const s = { type: 'object', additionalProperties: { type: 'number' } } as const satisfies JsonSchema;
  const r = dropUnknownFields(s, JSON.parse('{"__proto__": 1, "a": 2}'));
  assert.deepEqual(Object.keys(r.value as object), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
});
