// Workload profiles: the generated JSON matches the YAML, --kb files are validated with file:line:column errors, and
// the built-in path (check → evaluate) never imports yaml or zod.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/cli/user-error.ts';
import { LineCounter, parseDocument, visit } from 'yaml';
import { buildProfilesJson, GENERATED_FILE, WORKLOADS_DIR } from '../../src/kb/build-profiles.ts';
import { parseProfileText, readProfileDir } from '../../src/kb/load-profile-file.ts';
import { loadUserProfiles } from '../../src/kb/user-profiles.ts';
import { validateTable } from '../../src/kb/testing/check-tester.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { FIXTURES } from './support.ts';

test('src/kb/generated/workloads.json is up to date with src/kb/workloads/*.yaml', () => {
  assert.equal(
    fs.readFileSync(GENERATED_FILE, 'utf8'),
    buildProfilesJson(),
    'stale: run `node --import tsx packages/nodefit/src/kb/build-profiles.ts`',
  );
});

function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UserError, `expected UserError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e.message;
  }
  assert.fail('expected a UserError');
}

const GOOD = `id: mine
title: My workload
description: A workload of ours.
references: [https://example.com/doc]
requirements:
  - id: vxlan
    kind: kernel-option
    anyOf: [VXLAN]
    level: required
    source: https://example.com/doc
`;

test('no built-in profile value is cut short by a # that YAML reads as a comment', () => {
  // a plain scalar ends at " #": "contains PR #3361; enable …" once became "contains PR", silently
  const cut: string[] = [];
  for (const name of fs.readdirSync(WORKLOADS_DIR).filter((n) => n.endsWith('.yaml'))) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(fs.readFileSync(path.join(WORKLOADS_DIR, name), 'utf8'), { lineCounter });
    visit(doc, {
      Scalar(_key, node) {
        if (node.comment !== undefined && node.comment !== null && node.range) cut.push(`${name}:${lineCounter.linePos(node.range[0]).line}: ${String(node.value)} #${node.comment}`);
      },
    });
  }
  assert.deepEqual(cut, [], 'quote these values');
});

test('a valid user profile parses', () => {
  const p = parseProfileText(GOOD, 'mine.yaml');
  assert.equal(p.id, 'mine');
  assert.equal(p.requirements[0]!.kind, 'kernel-option');
});

test('schema errors name file, line and column of the offending node', () => {
  const bad = GOOD.replace('level: required', 'level: mandatory');
  assert.match(userError(() => parseProfileText(bad, 'mine.yaml')), /^mine\.yaml:9:12: invalid workload profile at requirements\.0\.level: /);
  const unknownKey = GOOD.replace('    source:', '    colour: red\n    source:');
  assert.match(userError(() => parseProfileText(unknownKey, 'mine.yaml')), /^mine\.yaml:6:5: .*colour/);
  const badKind = GOOD.replace('kind: kernel-option', 'kind: kernel-flag');
  assert.match(userError(() => parseProfileText(badKind, 'mine.yaml')), /^mine\.yaml:7:11: .*requirements\.0\.kind/);
});

test('a when condition on legacy iptables is accepted as "available" or "unavailable" only, with its place named otherwise', () => {
  const legacy = GOOD.replace('    level: required', '    level: required\n    when: { iptablesLegacy: available }');
  assert.deepEqual(parseProfileText(legacy, 'mine.yaml').requirements[0]!.when, { iptablesLegacy: 'available' });
  const wrong = GOOD.replace('    level: required', '    level: required\n    when: { iptablesLegacy: missing }');
  assert.match(userError(() => parseProfileText(wrong, 'mine.yaml')), /^mine\.yaml:10:\d+: invalid workload profile at requirements\.0\.when\.iptablesLegacy: /);
});

test('a when condition on the architecture takes QEMU spelling, with its place named otherwise', () => {
  const arm = GOOD.replace('    level: required', '    level: required\n    when: { arch: aarch64 }');
  assert.deepEqual(parseProfileText(arm, 'mine.yaml').requirements[0]!.when, { arch: 'aarch64' });
  const wrong = GOOD.replace('    level: required', '    level: required\n    when: { arch: "ARM 64" }');
  assert.match(userError(() => parseProfileText(wrong, 'mine.yaml')), /^mine\.yaml:10:\d+: invalid workload profile at requirements\.0\.when\.arch: an architecture as QEMU names it/);
  // uname's armv7l would never match the arm a 32-bit ARM host is judged as: the loader says what to write instead
  const uname = GOOD.replace('    level: required', '    level: required\n    when: { arch: armv7l }');
  assert.match(userError(() => parseProfileText(uname, 'mine.yaml')), /requirements\.0\.when\.arch: say arm: architectures are named as QEMU names them, not armv7l/);
});

test('a sysctl key with sysctl.d\'s ignore-failure "-" prefix, and undecidedPicks on a fixed backend, are refused', () => {
  const sysctl = 'id: mine\ntitle: t\ndescription: d\nreferences: [https://example.com/a]\nrequirements:\n  - { id: s, kind: sysctl, key: "-net.ipv4.ip_forward", value: "1", level: required, source: https://example.com/b }\n';
  assert.match(userError(() => parseProfileText(sysctl, 'mine.yaml')), /^mine\.yaml:6:\d+: invalid workload profile at requirements\.0\.key: a sysctl key/);
  const picks = sysctl.replace('{ id: s, kind: sysctl, key: "-net.ipv4.ip_forward", value: "1",', '{ id: i, kind: iptables-backend, backend: legacy, undecidedPicks: legacy,');
  assert.match(userError(() => parseProfileText(picks, 'mine.yaml')), /requirements\.0\.undecidedPicks: undecidedPicks describes an iptables-wrapper/);
});

test('YAML syntax errors and duplicate keys give file:line:column', () => {
  assert.match(userError(() => parseProfileText('id: [unclosed\n', 'x.yaml')), /^x\.yaml:\d+:\d+: invalid YAML/);
  assert.match(userError(() => parseProfileText('id: a\nid: b\n', 'x.yaml')), /^x\.yaml:2:1: invalid YAML/);
});

test('a missing key is reported at its parent mapping', () => {
  const noSource = GOOD.replace('    source: https://example.com/doc\n', '');
  assert.match(userError(() => parseProfileText(noSource, 'm.yaml')), /^m\.yaml:6:5: .*requirements\.0\.source/);
});

test('--kb directories: ids must match file names; empty or missing directories are errors', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'other.yaml'), GOOD);
  assert.match(userError(() => readProfileDir(dir)), /other\.yaml:1:1: profile id "mine" does not match the file name/);
  const empty = tempDir(t);
  assert.match(userError(() => readProfileDir(empty)), /no \.yaml or \.yml files/);
  await assert.rejects(loadUserProfiles([path.join(empty, 'nope')]), /cannot read directory/);
  const profiles = await loadUserProfiles([FIXTURES]);
  assert.ok(profiles.some((p) => p.id === 'kube-router-k0s-1.31.2' && p.origin?.endsWith('kube-router-k0s-1.31.2.yaml')));
});

/** Static imports (not `import type`) of a module, resolved to files or package names. */
function staticImports(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'|^export\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    out.push(spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec);
  }
  return out;
}

test('the built-in path (check command → evaluate) loads neither yaml nor zod', () => {
  const src = path.resolve(import.meta.dirname, '../../src');
  const start = [path.join(src, 'engine/evaluate.ts'), path.join(src, 'cli/commands/check.ts'), path.join(src, 'kb/user-profiles.ts')];
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const dep of staticImports(f)) {
      if (dep.startsWith('/')) {
        if (dep.endsWith('.ts')) stack.push(dep);
      } else packages.add(dep.split('/')[0]!);
    }
  }
  assert.ok(!packages.has('yaml') && !packages.has('zod'), `static imports reach ${[...packages].join(', ')}`);
});

test('the check tester rejects empty tables, duplicate names and unknown keys', () => {
  const facts = factsBuilder().build();
  const c = { name: 'a', facts };
  assert.throws(() => validateTable('x', { pass: [], fail: [c], unknown: [{ ...c, name: 'b' }] }), /pass table is empty/);
  assert.throws(() => validateTable('x', { pass: [c], fail: [c], unknown: [{ ...c, name: 'b' }] }), /duplicate case name "a"/);
  assert.throws(() => validateTable('x', { pass: [{ ...c, expect: 'pass' } as never], fail: [{ ...c, name: 'f' }], unknown: [{ ...c, name: 'b' }] }), /unknown key "expect"/);
  assert.throws(() => validateTable('x', { pass: [c], fail: [{ ...c, name: 'f' }], unknown: [{ ...c, name: 'b' }], warn: [] } as never), /unknown table key "warn"/);
  assert.throws(() => validateTable('x', { pass: [{ ...c, outcome: 'fail' }], fail: [{ ...c, name: 'f' }], unknown: [{ ...c, name: 'b' }] }), /only fail cases/);
});
