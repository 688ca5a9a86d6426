// The agent DaemonSet's privilege model, exercised on this machine: the process runs the way the pod would (uid 0,
// every capability dropped, no_new_privs, its own PID namespace, the CLI bundle from the agent image) and must see the
// same facts as full root and deliver its snapshot with the DaemonSet's own arguments to a real `nodefit serve`.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { DEPLOY_DIR, REPO_ROOT, loadManifests, parseArgs, runCli } from './deploy-helpers.ts';

const agent = loadManifests().find((m) => m.body.kind === 'DaemonSet' && (m.body.metadata as { name: string }).name === 'nodefit-agent')!
  .body as unknown as IDaemonSet;
const agentArgs = agent.spec!.template.spec!.containers[0]!.args!;

/** The command prefix that drops to the pod's privileges, or why this machine cannot. */
function podLikePrefix(): string[] | string {
  if (process.getuid?.() !== 0) return 'needs root to create a PID namespace';
  for (const tool of ['unshare', 'setpriv']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} (util-linux) is not installed`;
  }
  const prefix = ['unshare', '--pid', '--fork', 'setpriv', '--reuid', '0', '--regid', '0', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs'];
  // some sandboxes forbid new PID namespaces: find out rather than fail later with a confusing error
  const probe = spawnSync(prefix[0]!, [...prefix.slice(1), 'sh', '-c', 'grep CapEff /proc/self/status'], { encoding: 'utf8' });
  if (probe.status !== 0) return `cannot drop to the pod's privileges here: ${probe.stderr.trim()}`;
  assert.match(probe.stdout, /CapEff:\s+0+\s*$/m, 'the effective capability set is empty');
  return prefix;
}

interface FactState {
  state: string;
  value?: unknown;
}

/** Every fact of a snapshot by its path, as state and value (sources and reasons may name different paths). */
function factStates(snapshotJson: string): Map<string, FactState> {
  const out = new Map<string, FactState>();
  const walk = (v: unknown, p: string): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    if (o.state === 'known' || o.state === 'unknown') {
      out.set(p, { state: o.state, value: o.value });
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${p}.${k}`);
  };
  walk((JSON.parse(snapshotJson) as { facts: unknown }).facts, 'facts');
  return out;
}

describe('the agent with the DaemonSet privileges (uid 0, no capabilities, no host PID namespace)', () => {
  let work = '';
  let bundle = '';
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-agent-priv-'));
    const dist = path.join(REPO_ROOT, 'packages/nodefit/dist');
    assert.ok(fs.existsSync(path.join(dist, 'cli.cjs')), 'packages/nodefit/dist/cli.cjs is missing: run npm run build');
    bundle = path.join(work, 'nodefit');
    const r = spawnSync('sh', [path.join(DEPLOY_DIR, 'bundle-cli.sh'), process.execPath, dist, bundle], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('sees every fact full root sees', (t: TestContext) => {
    const prefix = podLikePrefix();
    if (typeof prefix === 'string') {
      t.skip(prefix);
      return;
    }
    const full = runCli(['scan', '--root', '/']);
    assert.equal(full.status, 0, full.stderr);
    const pod = spawnSync(prefix[0]!, [...prefix.slice(1), path.join(bundle, 'bin/nodefit'), 'scan', '--root', '/'], { encoding: 'utf8', env: {}, maxBuffer: 64 << 20 });
    assert.equal(pod.status, 0, pod.stderr);
    const a = factStates(full.stdout);
    const b = factStates(pod.stdout);
    assert.ok(a.size >= 20, `a real scan (${a.size} facts)`);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [k, v] of a) assert.deepEqual(b.get(k), v, `${k} is the same without capabilities`);
  });

  it('delivers a snapshot with the DaemonSet arguments to the server, and writes the NFD features file', async (t: TestContext) => {
    const prefix = podLikePrefix();
    if (typeof prefix === 'string') {
      t.skip(prefix);
      return;
    }
    if (!fs.existsSync(path.join(REPO_ROOT, 'packages/server/dist/index.js'))) {
      t.skip('packages/server is not built (npm run build)');
      return;
    }
    const token = path.join(work, 'token');
    fs.writeFileSync(token, 'a'.repeat(64) + '\n', { mode: 0o400 });
    const server: ChildProcess = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'packages/nodefit/dist/cli.cjs'), 'serve', '--db', path.join(work, 'fleet.db'), '--port', '0', '--host', '127.0.0.1', '--token-file', token],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    t.after(() => server.kill('SIGTERM'));
    const base = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${err}`)), 30_000);
      server.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server.on('exit', (code) => reject(new Error(`the server exited ${code}: ${err}`)));
    });

    // the DaemonSet's arguments, with what only exists in the pod swapped for this machine's equivalent
    const { command, flags } = parseArgs(agentArgs);
    const nfdFile = path.join(work, 'features.d', path.posix.basename(flags.get('--nfd-features')!));
    fs.mkdirSync(path.dirname(nfdFile));
    const local: Record<string, string | undefined> = {
      '--root': '/',
      '--server': base,
      '--token-file': token,
      '--interval': undefined, // once, not forever
      '--node-name': 'nodefit-test-node',
      '--nfd-features': nfdFile,
    };
    const args = [command];
    for (const [f, v] of flags) {
      const value = f in local ? local[f] : v;
      if (value !== undefined) args.push(f, value);
    }
    assert.deepEqual([...flags.keys()].filter((f) => !(f in local)), [], 'every DaemonSet flag is exercised here');
    const r = spawnSync(prefix[0]!, [...prefix.slice(1), path.join(bundle, 'bin/nodefit'), ...args], { encoding: 'utf8', env: {} });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /sent snapshot of nodefit-test-node \(HTTP 20\d\)/);

    const nodes = (await (await fetch(`${base}/api/v1/nodes`)).json()) as { nodes: { name: string }[] };
    assert.deepEqual(
      nodes.nodes.map((n) => n.name),
      ['nodefit-test-node'],
    );
    const features = fs.readFileSync(nfdFile, 'utf8');
    assert.match(features, /^nodefit\.dev\/verdict=\S+$/m);
    assert.deepEqual(fs.readdirSync(path.dirname(nfdFile)), ['nodefit'], 'no temporary file left beside it');
  });
});
