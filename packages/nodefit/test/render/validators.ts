// Parsers and validators the renderer tests share: each reads an output back by the rules of the tool that consumes it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isValidLabelName, isValidLabelPrefix, isValidLabelValue } from '../../src/render/nfd.ts';

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS (module.exports = the class)
interface AjvLike {
  addFormat(name: string, check: (s: string) => boolean): unknown;
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
  errorsText(errors: unknown): string;
}
const Ajv04 = require('ajv-draft-04') as new (options: object) => AjvLike;
// The 2.1.0 schema (rtm.5, the release schema mirrored by SchemaStore) as Microsoft's SARIF SDK ships it; draft-04.
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

export function sarifValidator(): (data: unknown) => { ok: boolean; errors: string } {
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode JS regexps accept
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
  return (data) => ({ ok: validate(data), errors: ajv.errorsText(validate.errors) });
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

/** Exposition format 0.0.4: `# HELP name text`, `# TYPE name type`, `name{l="v",...} value`; \\ \" \n escapes. */
export function parseExposition(text: string): Parsed {
  assert.ok(text.endsWith('\n'), 'must end with a line feed');
  const p: Parsed = { help: new Map(), type: new Map(), samples: [] };
  const seen = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (m !== null) {
      (m[1] === 'HELP' ? p.help : p.type).set(m[2]!, m[3]!);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/s.exec(line);
    assert.ok(m !== null, `not a sample line: ${JSON.stringify(line)}`);
    const name = m[1]!;
    assert.ok(p.type.has(name), `sample before its TYPE: ${name}`);
    const labels: Record<string, string> = {};
    const body = m[2] === undefined ? '' : m[2].slice(1, -1);
    let i = 0;
    while (i < body.length) {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(body.slice(i));
      assert.ok(lm !== null, `bad label at ${body.slice(i)}`);
      i += lm[0].length;
      let v = '';
      for (;;) {
        const ch = body[i];
        assert.ok(ch !== undefined, 'unterminated label value');
        if (ch === '"') break;
        if (ch === '\\') {
          const n = body[i + 1];
          assert.ok(n === '\\' || n === '"' || n === 'n', `bad escape \\${n}`);
          v += n === 'n' ? '\n' : n;
          i += 2;
        } else {
          v += ch;
          i += 1;
        }
      }
      i += 1;
      labels[lm[1]!] = v;
      if (body[i] === ',') i += 1;
    }
    const value = Number(m[3]);
    assert.ok(!Number.isNaN(value));
    const key = name + JSON.stringify(Object.entries(labels).sort());
    assert.ok(!seen.has(key), `duplicate series ${key}`);
    seen.add(key);
    p.samples.push({ name, labels, value });
  }
  return p;
}

/** Parses a features.d file the way NFD's local source does: comments skipped, `<ns>/<name>[=<value>]`. */
export function parseFeatures(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? 'true' : line.slice(eq + 1);
    const slash = key.indexOf('/');
    assert.ok(slash > 0, `label without namespace: ${line}`);
    const prefix = key.slice(0, slash);
    const name = key.slice(slash + 1);
    assert.ok(isValidLabelPrefix(prefix), `bad prefix ${prefix}`);
    assert.ok(isValidLabelName(name), `bad name ${name}`);
    assert.ok(isValidLabelValue(value), `bad value ${value}`);
    assert.ok(!out.has(key), `duplicate ${key}`);
    out.set(key, value);
  }
  return out;
}

export interface Case {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
export interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  testcase: Case[];
}
export interface Doc {
  testsuites: { '@_tests': string; '@_failures': string; '@_skipped': string; testsuite: Suite[] };
}

export function parseJunit(xml: string): Doc {
  const v = XMLValidator.validate(xml);
  assert.equal(v, true, JSON.stringify(v));
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
    processEntities: true,
    htmlEntities: true,
    trimValues: false,
  });
  return parser.parse(xml) as Doc;
}
