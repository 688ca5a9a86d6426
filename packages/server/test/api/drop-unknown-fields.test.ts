// dropUnknownFields against nodefit's own snapshot schema and a real snapshot of this machine: what a newer agent adds
// is dropped exactly, and nothing else is touched.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { dropUnknownFields, MAX_DROPPED, type JsonSchema } from '../../src/api/drop-unknown-fields.ts';
import { loadSnapshotValidator } from '../../src/api/snapshot-validator.ts';
import { snapshotFor, wire } from '../helpers/snapshots.ts';

const schema = JSON.parse(fs.readFileSync(fileURLToPath(import.meta.resolve('nodefit/snapshot.schema.json')), 'utf8')) as JsonSchema;
const validate = loadSnapshotValidator();
const real = JSON.parse(wire(await snapshotFor('node-a'))) as Record<string, unknown>;

type Json = Record<string, unknown>;

/** dropUnknownFields for a value that is not refused outright. */
function dropped(s: JsonSchema, v: unknown): { value: unknown; dropped: readonly string[] } {
  const r = dropUnknownFields(s, v);
  assert.ok(r.ok, 'not refused for its number of unknown fields');
  return r;
}

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
  const r = dropped(schema, real);
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
        const r = dropped(schema, sent);
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
  // the reason names what is wrong, not the unknown field that came first
  const typed = withExtra((s) => (((s.facts as Json).kernel as Json).release = { state: 'known', value: 42, source: 'x' }));
  assert.ok(!typed.ok && typed.reason.startsWith('invalid snapshot at /facts/kernel/release/value: must be string'), JSON.stringify(typed));
  assert.match(typed.reason, /with 1 fields this server has no schema for set aside/);
  const version = withExtra((s) => (s.schemaVersion = 2));
  assert.ok(!version.ok && version.reason.startsWith('invalid snapshot at /schemaVersion'), JSON.stringify(version));
  const missing = withExtra((s) => delete (s.facts as Json).os);
  assert.ok(!missing.ok && /must have required property 'os'/.test(missing.reason), JSON.stringify(missing));
  // a fact state this server does not know is not an addition: no branch is for it, nothing in it is dropped
  const partial = withExtra((s) => (((s.facts as Json).kernel as Json).release = { state: 'partial', value: '6.1', source: 'x', hint: 1 }));
  assert.ok(!partial.ok && partial.reason.startsWith('invalid snapshot at /facts/kernel/release'), JSON.stringify(partial));
  // the input is never changed
  const s = structuredClone(real);
  (s.facts as Json).futureArea = { a: 1 };
  const before = JSON.stringify(s);
  assert.ok(validate(s).ok);
  assert.equal(JSON.stringify(s), before);
});

test('a record member named __proto__ stays a member, never the prototype', () => {
  const s = { type: 'object', additionalProperties: { type: 'number' } } as const satisfies JsonSchema;
  const r = dropped(s, JSON.parse('{"__proto__": 1, "a": 2}'));
  assert.deepEqual(Object.keys(r.value as object), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
});

test('more unknown fields than a release adds are refused without walking the rest', () => {
  const s = structuredClone(real);
  const junk: Json = {};
  for (let i = 0; i <= MAX_DROPPED; i++) junk[`k${i}`] = i;
  (s.facts as Json).os = { ...((s.facts as Json).os as Json), ...junk };
  const r = dropUnknownFields(schema, s);
  assert.deepEqual(r, { ok: false, tooMany: MAX_DROPPED + 1 });
  const v = validate(s);
  assert.ok(!v.ok && v.reason.includes(`more than ${MAX_DROPPED} fields this server has no schema for`), JSON.stringify(v));
});

test('a value two closed branches may both be for is left whole: dropping for one could remove what the other needs', () => {
  // hand-made: no union in the snapshot schema is like this (the test below keeps it so)
  const s: JsonSchema = {
    type: 'object',
    properties: {
      v: {
        anyOf: [
          { type: 'object', properties: { a: { type: 'number' } }, required: ['a'], additionalProperties: false },
          { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
        ],
      },
    },
    additionalProperties: false,
  };
  const r = dropped(s, { v: { a: 1, b: 2 }, future: 1 });
  assert.deepEqual(r.dropped, ['/future']);
  assert.deepEqual(r.value, { v: { a: 1, b: 2 } });
});

test('every union of objects in the snapshot schema is told apart by a required pinned member', () => {
  let unions = 0;
  const visit = (s: JsonSchema, where: string): void => {
    const branches = s.oneOf ?? s.anyOf;
    if (branches !== undefined) {
      const objects = branches.filter((b) => b.type === 'object' || b.properties !== undefined);
      if (objects.length > 1) {
        unions++;
        // a member every object branch requires and pins to a value of its own
        const pinnedIn = (b: JsonSchema, k: string) => b.required?.includes(k) === true && b.properties?.[k] !== undefined && 'const' in b.properties[k];
        const key = Object.keys(objects[0]?.properties ?? {}).find((k) => objects.every((b) => pinnedIn(b, k)));
        assert.ok(key !== undefined, `${where}: its object branches pin no common member`);
        const values = objects.map((b) => JSON.stringify(b.properties?.[key]?.const));
        assert.equal(new Set(values).size, values.length, `${where}: two branches pin ${key} alike`);
      }
      branches.forEach((b, i) => visit(b, `${where}|${i}`));
    }
    for (const [k, p] of Object.entries(s.properties ?? {})) visit(p, `${where}/${k}`);
    if (typeof s.additionalProperties === 'object') visit(s.additionalProperties, `${where}/*`);
    if (s.items !== undefined) visit(s.items, `${where}/[]`);
  };
  visit(schema, '');
  assert.ok(unions >= 40, `only ${unions} unions of objects found: is the schema still the one with a union per fact?`);
});
