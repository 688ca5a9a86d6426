// The image build (deploy/Containerfile) cannot run here (no container daemon), so this checks what can be checked
// without one: the build file's structure and inputs, and the self-contained CLI bundle that the agent image and
// node-problem-detector pods run, built by the same script on this machine and run with no Node.js or C library
// around it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { debFixture, need, tempDir } from '../helpers/fixtures.ts';
import { NPD_MAX_OUTPUT } from '../../src/render/npd.ts';
import { DEPLOY_DIR, REPO_ROOT } from './deploy-helpers.ts';

interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly stage: string;
}

/** Containerfile instructions with line continuations joined and comments dropped, each tagged with its stage. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = '';
  let pending = '';
  for (const raw of text.split('\n')) {
    // comment lines are dropped, also inside a continued instruction (as BuildKit does)
    if (/^\s*#/.test(raw)) continue;
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const m = /^([A-Z]+)\s+(.*)$/.exec(full);
    assert.ok(m, `not an instruction: ${full}`);
    if (m[1] === 'FROM') stage = /\sAS\s+(\S+)$/i.exec(m[2]!)?.[1] ?? '';
    out.push({ op: m[1]!, args: m[2]!, stage });
  }
  return out;
}

const containerfile = fs.readFileSync(path.join(DEPLOY_DIR, 'Containerfile'), 'utf8');
const steps = instructions(containerfile);
const inStage = (s: string) => steps.filter((i) => i.stage === s);

describe('deploy/Containerfile', () => {
  it('has a node:20-slim build stage that runs npm ci and npm run build, then agent and server stages', () => {
    const froms = steps.filter((i) => i.op === 'FROM').map((i) => i.args);
    assert.deepEqual(froms, ['${NODE_IMAGE} AS build', '${DEBIAN_IMAGE} AS agent', '${NODE_IMAGE} AS server']);
    assert.match(containerfile, /^ARG NODE_IMAGE=node:20-slim$/m);
    const runs = inStage('build').filter((i) => i.op === 'RUN').map((i) => i.args);
    const ci = runs.findIndex((r) => /^npm ci\b/.test(r));
    const build = runs.findIndex((r) => r === 'npm run build');
    assert.ok(ci >= 0 && build > ci, 'npm ci, then npm run build');
    assert.ok(runs.some((r) => /npm prune --omit=dev/.test(r)), 'dev dependencies stay out of the runtime image');
  });

  it('copies only paths that exist in the repository into the build', () => {
    for (const c of steps.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const parts = c.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) assert.ok(fs.existsSync(path.join(REPO_ROOT, src)), `COPY ${src}: not in the repository`);
    }
  });

  it('keeps host node_modules and build output out of the build context', () => {
    const ignore = fs.readFileSync(path.join(DEPLOY_DIR, 'Containerfile.dockerignore'), 'utf8').split('\n');
    for (const p of ['**/node_modules', '**/dist', '.git']) assert.ok(ignore.includes(p), p);
  });

  it('runs the server as an unprivileged user and the agent from the CLI bundle', () => {
    const serverUser = inStage('server').filter((i) => i.op === 'USER').at(-1)?.args;
    assert.ok(serverUser !== undefined && !/^(0|root)(:|$)/.test(serverUser), `server USER ${serverUser}`);
    assert.match(inStage('server').find((i) => i.op === 'ENTRYPOINT')!.args, /packages\/nodefit\/dist\/cli\.cjs/);
    assert.equal(inStage('agent').find((i) => i.op === 'ENTRYPOINT')?.args, '["/opt/nodefit/bin/nodefit"]');
    assert.ok(inStage('agent').some((i) => i.op === 'COPY' && i.args === '--from=build /out/nodefit /opt/nodefit'));
  });
});

/** Builds the bundle from the built CLI with deploy/bundle-cli.sh, as the Containerfile's build stage does. */
function buildBundle(into: string): string {
  const dist = path.join(REPO_ROOT, 'packages/nodefit/dist');
  assert.ok(fs.existsSync(path.join(dist, 'cli.cjs')), 'packages/nodefit/dist/cli.cjs is missing: run npm run build');
  const out = path.join(into, 'nodefit');
  const r = spawnSync('sh', [path.join(DEPLOY_DIR, 'bundle-cli.sh'), process.execPath, dist, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'packages/nodefit/package.json'), 'utf8')) as { version: string }).version;

describe('deploy/bundle-cli.sh: the self-contained CLI', () => {
  let work = '';
  let out = '';
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-bundle-'));
    out = buildBundle(work);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('runs with an empty environment, through its own loader and libraries', () => {
    assert.ok(fs.existsSync(path.join(out, 'lib/ld.so')) && fs.existsSync(path.join(out, 'lib/node')));
    const r = spawnSync(path.join(out, 'bin/nodefit'), ['--version'], { encoding: 'utf8', env: {} });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), VERSION);
  });

  it('speaks the node-problem-detector protocol when run as the NPD rule does', () => {
    const r = spawnSync(path.join(out, 'bin/nodefit'), ['check', '--root', '/', '--format', 'npd', '--workload', 'kubelet'], { encoding: 'utf8', env: {} });
    assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `exit ${r.status}: ${r.stderr}`);
    assert.equal(r.stdout.split('\n').filter((l) => l !== '').length, 1);
    assert.ok(r.stdout.trim().length <= NPD_MAX_OUTPUT);
  });

  it('runs in a root holding nothing but a static busybox shell (as in an image without Node.js or glibc)', (t) => {
    const busybox = debFixture('busybox-static');
    if (!need(t, busybox !== null, 'the busybox-static .deb')) return;
    if (process.getuid?.() !== 0) {
      t.skip('chroot needs root');
      return;
    }
    const root = tempDir(t, 'nodefit-chroot-');
    const x = spawnSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" ./bin/busybox', 'sh', busybox!.path, root], { encoding: 'utf8' });
    if (x.status !== 0) {
      t.skip(`cannot unpack ${busybox!.path} here: ${x.stderr.trim()}`);
      return;
    }
    fs.symlinkSync('busybox', path.join(root, 'bin/sh'));
    fs.mkdirSync(path.join(root, 'opt'));
    fs.cpSync(out, path.join(root, 'opt/nodefit'), { recursive: true });
    assert.deepEqual(
      fs.readdirSync(root).sort(),
      ['bin', 'opt'],
      'no /lib, /usr or /etc: nothing but the bundle to run on',
    );
    // chroot is looked up with this process's PATH; what runs inside gets an empty environment
    const chroot = spawnSync('sh', ['-c', 'command -v chroot'], { encoding: 'utf8' }).stdout.trim();
    assert.ok(chroot !== '', 'chroot(8) is installed (coreutils)');
    const r = spawnSync(chroot, [root, '/opt/nodefit/bin/nodefit', 'workloads'], { encoding: 'utf8', env: {} });
    assert.equal(r.status, 0, `${r.error?.message ?? ''} ${r.stderr}`);
    assert.match(r.stdout, /^kubelet\s/m);
  });
});
