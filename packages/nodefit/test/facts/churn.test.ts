// Churn projections (src/facts/churn.ts): what a busy node rewrites between two checks (pod mounts, module reference
// counts, cgroup counts) must leave the report as it was, and anything a check does read must still be noticed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHURN_PROJECTIONS, type ChurnProjection } from '../../src/facts/churn.ts';
import { parseMountsRead } from '../../src/facts/cgroups/parse-mountinfo.ts';
import { parseProcCgroups } from '../../src/facts/cgroups/parse-proc-cgroups.ts';
import { parseProcModules } from '../../src/facts/modules/parse-proc-modules.ts';
import { procModulesHas } from '../../src/facts/netfilter/parse-proc-tables.ts';
import { decodeRunMemo, encodeRunMemo } from '../../src/cli/run-memo.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { retrace, TracingFs, withProjections } from '../../src/host/fs-trace.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';
import type { HostFs } from '../../src/host/host-fs.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { FORMATS, renderReport } from '../../src/render/index.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { directoryCopy, hostFiles, memoryCopy, type HostCopy } from '../helpers/host-copy.ts';
import { churnedCgroups, churnedModules, NODE_MODULES } from '../helpers/node-churn.ts';
import { podMountLines } from '../helpers/pod-mounts.ts';

const project = (path: string): ChurnProjection => CHURN_PROJECTIONS.get(path) as ChurnProjection;
const modulesP = project('/proc/modules');
const cgroupsP = project('/proc/cgroups');
const mountsP = project('/proc/1/mountinfo');
const P = (f: ChurnProjection, text: string) => f(Buffer.from(text, 'utf8'));

/** Parsed modules without their reference counts, which is all a check may read of them. */
function modulesKept(text: string): unknown {
  return Object.entries(parseProcModules(text)).map(([name, m]) => [name, m.size, m.usedBy, m.state]);
}

function cgroupsKept(text: string): unknown {
  const r = parseProcCgroups(text);
  return r.ok ? r.lines.map((l) => [l.name, l.hierarchy, l.enabled]) : r.reason;
}

// --- each projection on its own ---

/** Lines shaped like /proc/modules lines, with fields no kernel writes mixed in and some fields cut off. */
const moduleLine = fc
  .tuple(
    fc.constantFrom('', ' ', '\t'),
    fc.constantFrom('veth', 'nf_nat', 'x\ty', ''),
    fc.oneof(fc.stringMatching(/^\d{1,6}$/), fc.constantFrom('-', 'x')),
    fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.constantFrom('-', 'x', '')),
    fc.constantFrom('-', 'a,b,', ''),
    fc.constantFrom('Live', 'Loading', ''),
    fc.constantFrom('0x0000000000000000', '(OE)', ''),
    fc.integer({ min: 1, max: 6 }),
  )
  .map(([lead, name, size, ref, deps, state, addr, kept]) => lead + [name, size, ref, deps, state, addr].slice(0, kept).join(' '));

/** One token of one line replaced by another (an edit anywhere, not only where the projection looks). */
function edited(text: string, line: number, word: number, by: string): string {
  const lines = text.split('\n');
  const i = line % lines.length;
  const words = (lines[i] as string).split(' ');
  words[word % words.length] = by;
  lines[i] = words.join(' ');
  return lines.join('\n');
}

/** Half the edits land on the third word, where both files keep their count, the rest anywhere. */
const AT_COUNT_OR_ANYWHERE = fc.oneof(fc.constant(2), fc.nat());

test('property: /proc/modules texts with the same projection parse to the same modules, reference counts aside', () => {
  let same = 0;
  fc.assert(
    fc.property(fc.array(moduleLine, { minLength: 1, maxLength: 6 }), fc.nat(), AT_COUNT_OR_ANYWHERE, fc.oneof(fc.stringMatching(/^\d{1,16}$/), fc.constantFrom('-', 'Live', '')), (lines, l, w, by) => {
      const a = lines.join('\n');
      const b = edited(a, l, w, by);
      if (P(modulesP, a) !== P(modulesP, b)) return;
      if (a !== b) same++;
      assert.deepEqual(modulesKept(b), modulesKept(a));
      for (const name of ['veth', 'nf_nat', 'Live', '-']) assert.equal(procModulesHas(b, name), procModulesHas(a, name));
    }),
    { numRuns: 1500 },
  );
  assert.ok(same >= 50, `only ${same} different texts had one projection`);
});

test('property: /proc/cgroups texts with the same projection give the same controllers, or the same refusal', () => {
  const cgroupLine = fc
    .tuple(fc.constantFrom('cpuset', 'memory', 'pids', '#subsys_name', 'Bad', ''), fc.stringMatching(/^\d{1,11}$/), fc.stringMatching(/^\d{1,11}$/), fc.constantFrom('0', '1', '2'))
    .map((words) => words.join(' '));
  let same = 0;
  fc.assert(
    fc.property(fc.array(cgroupLine, { minLength: 1, maxLength: 5 }), fc.nat(), AT_COUNT_OR_ANYWHERE, fc.stringMatching(/^\d{1,11}$/), (lines, l, w, by) => {
      const a = lines.join('\n');
      const b = edited(a, l, w, by);
      if (P(cgroupsP, a) !== P(cgroupsP, b)) return;
      if (a !== b) same++;
      assert.deepEqual(cgroupsKept(b), cgroupsKept(a));
    }),
    { numRuns: 1500 },
  );
  assert.ok(same >= 50, `only ${same} different texts had one projection`);
});

test("this machine's /proc/cgroups and a node's /proc/modules: pod churn keeps the projection, a real change does not", () => {
  const cgroups = hostFiles.get('/proc/cgroups')?.toString('utf8');
  if (cgroups !== undefined) {
    assert.equal(P(cgroupsP, churnedCgroups(cgroups, [40, 7, 123])), P(cgroupsP, cgroups));
    assert.notEqual(P(cgroupsP, cgroups.replace(/^(memory\t\d+\t\d+\t)1/m, '$10')), P(cgroupsP, cgroups), 'memory controller disabled');
    // a line the parser refuses is quoted in the fact's reason, count and all, so it is compared whole
    const broken = cgroups.replace(/^(memory\t\d+\t)(\d+)\t1/m, '$1$2\t2');
    assert.notEqual(P(cgroupsP, broken.replace(/^(memory\t\d+\t)\d+/m, '$1999')), P(cgroupsP, broken));
  }
  assert.equal(P(modulesP, churnedModules(NODE_MODULES, [9, 0, 31])), P(modulesP, NODE_MODULES));
  assert.notEqual(P(modulesP, NODE_MODULES.replace(/^veth .*\n/m, '')), P(modulesP, NODE_MODULES), 'veth unloaded');
  assert.notEqual(P(modulesP, `${NODE_MODULES}\nvxlan 139264 0 - Live 0x0000000000000000`), P(modulesP, NODE_MODULES), 'vxlan loaded');
  assert.notEqual(P(modulesP, NODE_MODULES.replace('bridge 311296 1 br_netfilter,', 'bridge 311296 1 -')), P(modulesP, NODE_MODULES), 'a user of bridge went');
});

function podLines(t: TestContext, pods: number): string[] | undefined {
  const made = podMountLines(tempDir(t), pods);
  if (!need(t, made.ok, `mounts in a private mount namespace (unshare --mount, as root)${made.ok ? '' : `: ${made.reason}`}`)) return undefined;
  return made.ok ? made.lines : undefined;
}

test("this machine's mount table with real pod mounts added keeps its projection; a cgroup or binfmt_misc mount does not", (t) => {
  const table = hostFiles.get('/proc/1/mountinfo')?.toString('utf8');
  if (!need(t, table !== undefined, "this machine's /proc/1/mountinfo") || table === undefined) return;
  const pods = podLines(t, 3);
  if (pods === undefined) return;
  const busy = `${table}${pods.join('\n')}\n`;
  assert.ok(pods.some((l) => l.includes(' - overlay ')) && pods.some((l) => l.includes(' - nsfs ')), 'overlay and netns mounts, as kubelet makes');
  assert.equal(P(mountsP, busy), P(mountsP, table));
  assert.deepEqual(parseMountsRead(busy), parseMountsRead(table));
  const binfmt = `${table}99 22 0:50 / /proc/sys/fs/binfmt_misc rw,nosuid,nodev,noexec,relatime - binfmt_misc binfmt_misc rw\n`;
  assert.notEqual(P(mountsP, binfmt), P(mountsP, table), 'binfmt_misc mounted');
  const cgroupLine = table.split('\n').find((l) => / - cgroup2? /.test(l));
  if (cgroupLine !== undefined) assert.notEqual(P(mountsP, table.replace(`${cgroupLine}\n`, '')), P(mountsP, table), 'a cgroup hierarchy unmounted');
  // a line no kernel writes refuses the whole table, wherever it is
  assert.notEqual(P(mountsP, `${busy}not a mount line\n`), P(mountsP, busy));
});

// --- the whole pipeline: collect, evaluate, render ---

/** Every format's report of a check of `fs` as the live host, the way `nodefit check` makes it. */
async function reports(fs: HostFs): Promise<string[]> {
  const snapshot = await loadTarget({ base: { kind: 'live' } }, { readThrough: () => fs });
  const report = evaluate(snapshot);
  return FORMATS.map((f) => renderReport(report, f, { color: false }));
}

interface Change {
  readonly name: string;
  /** Whether a check may read what it changes (then the memo must not replay across it). */
  readonly read: boolean;
  readonly apply: (h: HostCopy, pods: readonly string[]) => void;
}

const table = hostFiles.get('/proc/1/mountinfo')?.toString('utf8') ?? '';
const cgroups = hostFiles.get('/proc/cgroups')?.toString('utf8') ?? '';

/** The node's mount table with some of the pods' mounts (four per pod). */
const withPods = (pods: readonly string[], from: number, to: number) => Buffer.from(`${table}${pods.slice(4 * from, 4 * to).map((l) => `${l}\n`).join('')}`);

const CHANGES: readonly Change[] = [
  { name: 'two pods started (their mounts)', read: false, apply: (h, pods) => h.write('/proc/1/mountinfo', withPods(pods, 0, 3)) },
  { name: 'the running pod left, another started', read: false, apply: (h, pods) => h.write('/proc/1/mountinfo', withPods(pods, 2, 3)) },
  { name: 'every pod left', read: false, apply: (h, pods) => h.write('/proc/1/mountinfo', withPods(pods, 0, 0)) },
  { name: 'module reference counts moved', read: false, apply: (h) => h.write('/proc/modules', Buffer.from(churnedModules(NODE_MODULES, [3, 17, 0, 250]))) },
  { name: 'cgroup counts moved', read: false, apply: (h) => h.write('/proc/cgroups', Buffer.from(churnedCgroups(cgroups, [88, 2, 1031]))) },
  { name: 'veth unloaded', read: true, apply: (h) => h.write('/proc/modules', Buffer.from(NODE_MODULES.replace(/^veth .*\n/m, ''))) },
  { name: 'nf_tables unloaded', read: true, apply: (h) => h.write('/proc/modules', Buffer.from(NODE_MODULES.replace(/^nf_tables .*\n/m, ''))) },
  { name: 'memory controller disabled', read: true, apply: (h) => h.write('/proc/cgroups', Buffer.from(cgroups.replace(/^(memory\t\d+\t\d+\t)1/m, '$10'))) },
  {
    name: 'binfmt_misc mounted',
    read: true,
    apply: (h) => h.write('/proc/1/mountinfo', Buffer.from(`${table}99 22 0:50 / /proc/sys/fs/binfmt_misc rw,relatime - binfmt_misc binfmt_misc rw\n`)),
  },
  { name: 'the cgroup2 mount gone', read: true, apply: (h) => h.write('/proc/1/mountinfo', Buffer.from(table.replace(/^.* - cgroup2 .*\n/m, ''))) },
];

const churnOnly = fc.array(fc.constantFrom(...CHANGES.filter((c) => !c.read)), { minLength: 1, maxLength: 4 });
const anyChanges = fc.array(fc.constantFrom(...CHANGES), { minLength: 1, maxLength: 3 });

/** The host copy as a node running one pod: this machine's files, that pod's mounts and the hand-made /proc/modules. */
function node(copy: HostCopy, pods: readonly string[]): HostCopy {
  copy.write('/proc/modules', Buffer.from(NODE_MODULES));
  copy.write('/proc/1/mountinfo', withPods(pods, 0, 1));
  return copy;
}

const KINDS: ReadonlyArray<readonly [string, (t: TestContext, pods: readonly string[]) => HostCopy]> = [
  ['in memory', (_t, pods) => node(memoryCopy(), pods)],
  ['as a --root directory', (t, pods) => node(directoryCopy(t), pods)],
];

for (const [kind, copy] of KINDS) {
  test(`${kind}, property: a host that churned answers the last check's reads by projection, and every format reports as before`, async (t) => {
    if (!need(t, hostFiles.has('/proc/config.gz') && table !== '', "this machine's /proc/config.gz and /proc/1/mountinfo")) return;
    const pods = podLines(t, 3);
    if (pods === undefined) return;
    const before = new TracingFs(copy(t, pods).fs);
    const beforeReports = await reports(before);
    assert.ok(before.calls.some((c) => c.path === '/proc/modules') && before.calls.some((c) => c.path === '/proc/cgroups'));

    // each change alone: pod churn replays and changes no report; a change a check reads is never replayed
    for (const change of CHANGES) {
      const after = copy(t, pods);
      change.apply(after, pods);
      const r = retrace(after.fs, before.calls, CHURN_PROJECTIONS);
      assert.equal(r.same, !change.read, change.name);
      if (r.same) {
        assert.ok(r.projected.length > 0, `${change.name}: the answers differ in bytes`);
        assert.equal(retrace(after.fs, before.calls).same, false, `${change.name}: strict comparison notices the churn`);
        assert.deepEqual(await reports(after.fs), beforeReports, change.name);
      }
    }

    // any mix: whenever the host answers by projection, every report is the one before
    let replayable = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: churnOnly, weight: 2 }, { arbitrary: anyChanges, weight: 1 }), async (changes) => {
        const after = copy(t, pods);
        for (const c of changes) c.apply(after, pods);
        if (!retrace(after.fs, before.calls, CHURN_PROJECTIONS).same) return;
        replayable++;
        assert.deepEqual(await reports(after.fs), beforeReports, changes.map((c) => c.name).join(', '));
      }),
      { numRuns: kind === 'in memory' ? 40 : 15 },
    );
    assert.ok(replayable >= 5, `only ${replayable} generated hosts answered by projection: the property hardly ran`);
  });
}

test('two projected files that hold the same bytes are each compared by their own projection', () => {
  // hand-made: a --root whose /proc/modules and /proc/cgroups hold one and the same line (copies, links)
  const host = new MemoryFs('two files alike');
  const line = (n: number) => Buffer.from(`memory 1 ${n} - Live 0x0\n`);
  host.addFile('/proc/modules', line(5));
  host.addFile('/proc/cgroups', line(5));
  const t = new TracingFs(host);
  t.readFile('/proc/modules');
  t.readFile('/proc/cgroups');
  host.addFile('/proc/modules', line(6));
  host.addFile('/proc/cgroups', line(6));
  // the count is a use count in /proc/modules, but part of a line /proc/cgroups refuses (and quotes) whole
  assert.equal(P(modulesP, line(5).toString()), P(modulesP, line(6).toString()));
  assert.notEqual(P(cgroupsP, line(5).toString()), P(cgroupsP, line(6).toString()));
  assert.equal(retrace(host, t.calls, CHURN_PROJECTIONS).same, false);
  assert.equal(retrace(host, withProjections(t.calls, CHURN_PROJECTIONS), CHURN_PROJECTIONS).same, false);
});

test('projections kept in a memo, written and read back, answer as projections made anew', (t) => {
  const pods = podLines(t, 2);
  if (pods === undefined || !need(t, hostFiles.has('/proc/config.gz') && table !== '', "this machine's /proc/config.gz and /proc/1/mountinfo")) return;
  const host = node(memoryCopy(), pods);
  const traced = new TracingFs(host.fs);
  collectFacts(traced);
  const kept = withProjections(traced.calls, CHURN_PROJECTIONS);
  assert.ok(kept.filter((c) => c.projected !== undefined).length >= 3, 'the mount table, /proc/modules and /proc/cgroups carry theirs');
  const memo = decodeRunMemo(Buffer.concat(encodeRunMemo({ key: 'k', root: '/', calls: kept, stdout: Buffer.from('report'), exitCode: 1 })));
  assert.ok(memo !== undefined);
  assert.deepEqual(
    memo.calls.map((c) => c.projected),
    kept.map((c) => c.projected),
  );
  for (const c of memo.calls) if (c.projected !== undefined && c.result.kind === 'bytes') assert.equal(c.projected, project(c.path)(c.result.data), c.path);
  // churn: answered by projection from the kept ones; a cgroup mount gone: not
  CHANGES.filter((c) => !c.read).forEach((c) => c.apply(host, pods));
  assert.equal(retrace(host.fs, memo.calls, CHURN_PROJECTIONS).same, true);
  host.write('/proc/1/mountinfo', Buffer.from(table.replace(/^.* - cgroup2 .*\n/m, '')));
  assert.equal(retrace(host.fs, memo.calls, CHURN_PROJECTIONS).same, false);
});
