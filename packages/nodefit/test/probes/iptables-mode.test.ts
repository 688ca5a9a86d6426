// iptables-mode decides like kubernetes-sigs/iptables-wrappers; tested with fake saves and with real kubelet-style
// chains created by iptables-nft / iptables-legacy inside throwaway network namespaces (unshare --net), where
// nodefit's own detection runs too (also with --root, through chroot, in a private mount namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectIptablesMode, hasKubeletChains, type SaveRunner } from '../../src/probes/iptables-mode.ts';
import { findTool } from '../../src/probes/exec.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { runInNewNamespaces } from '../../src/probes/netns-script.ts';
import { need, tempDir } from '../helpers/fixtures.ts';

const REPO = path.resolve(import.meta.dirname, '../../../..');
const MAIN = path.join(REPO, 'packages/nodefit/src/cli/main.ts');

function fakeRunner(outputs: Partial<Record<string, string | null>>): SaveRunner & { calls: string[] } {
  const calls: string[] = [];
  const run: SaveRunner = (backend, command, args) => {
    const key = `${backend} ${command}${args.length > 0 ? ` ${args.join(' ')}` : ''}`;
    calls.push(key);
    return { command: key, output: outputs[key] ?? null };
  };
  return Object.assign(run, { calls });
}

const HINT = '*mangle\n:PREROUTING ACCEPT [0:0]\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n';
const CANARY = '*mangle\n:KUBE-KUBELET-CANARY - [0:0]\nCOMMIT\n';

test('kubelet chains are recognised only as chain declarations in save output', () => {
  assert.equal(hasKubeletChains(HINT), true);
  assert.equal(hasKubeletChains(CANARY), true);
  assert.equal(hasKubeletChains('-A INPUT -j KUBE-IPTABLES-HINT\n'), false);
  assert.equal(hasKubeletChains(':KUBE-IPTABLES-HINTS - [0:0]\n'), false);
});

test('order: nft mangle (v4, v6), then full legacy saves (never -t mangle), default nft', () => {
  const none = fakeRunner({});
  assert.equal(detectIptablesMode(none).mode, 'nft');
  assert.deepEqual(none.calls, ['nft iptables-save -t mangle', 'nft ip6tables-save -t mangle', 'legacy iptables-save', 'legacy ip6tables-save']);
  assert.equal(detectIptablesMode(fakeRunner({ 'legacy ip6tables-save': CANARY })).mode, 'legacy');
  const both = fakeRunner({ 'nft ip6tables-save -t mangle': HINT, 'legacy iptables-save': HINT });
  assert.equal(detectIptablesMode(both).mode, 'nft');
  assert.equal(both.calls.length, 2);
});

const SCENARIOS: readonly { name: string; setup: string; args: string; expect: 'nft' | 'legacy'; mount?: 'rbind' | 'bind' }[] = [
  { name: 'empty host', setup: '', args: '', expect: 'nft' },
  { name: 'kubelet on legacy (hint in legacy mangle)', setup: 'iptables-legacy -w -t mangle -N KUBE-IPTABLES-HINT', args: '', expect: 'legacy' },
  { name: 'kubelet on legacy, IPv6 only (canary)', setup: 'ip6tables-legacy -w -t mangle -N KUBE-KUBELET-CANARY', args: '', expect: 'legacy' },
  { name: 'kubelet on nft (canary in nft mangle)', setup: 'iptables-nft -w -t mangle -N KUBE-KUBELET-CANARY', args: '', expect: 'nft' },
  {
    name: 'both: nft is checked first',
    setup: 'iptables-legacy -w -t mangle -N KUBE-IPTABLES-HINT; iptables-nft -w -t mangle -N KUBE-IPTABLES-HINT',
    args: '',
    expect: 'nft',
  },
  { name: 'legacy host read through --root (chroot), root with /proc', setup: 'iptables-legacy -w -t mangle -N KUBE-IPTABLES-HINT', args: '--root "$R"', expect: 'legacy', mount: 'rbind' },
  {
    name: 'legacy host read through --root (chroot), root without /proc: table names from our own /proc',
    setup: 'iptables-legacy -w -t mangle -N KUBE-IPTABLES-HINT',
    args: '--root "$R"',
    expect: 'legacy',
    mount: 'bind',
  },
  { name: 'nft host read through --root (chroot)', setup: 'iptables-nft -w -t mangle -N KUBE-IPTABLES-HINT', args: '--root "$R"', expect: 'nft', mount: 'bind' },
];

test('real chains in throwaway network namespaces give the mode iptables-wrappers would pick', (t) => {
  const tools = ['unshare', 'iptables-legacy', 'iptables-nft', 'ip6tables-legacy', 'chroot'].every((x) => findTool(x) !== null);
  if (!need(t, checkProbePrivileges().ok && tools, 'root with unshare, chroot, iptables-legacy and iptables-nft')) return;
  const dir = tempDir(t, 'nodefit-iptmode-');
  const results: string[] = [];
  for (const [i, s] of SCENARIOS.entries()) {
    const rootDir = path.join(dir, `root-${i}`);
    fs.mkdirSync(rootDir);
    // the bind mount lives only in the private mount namespace unshare creates (propagation private)
    const mount = s.mount === undefined ? '' : `mount --${s.mount} / "$R" || exit 97\n`;
    const script = path.join(dir, `s${i}.sh`);
    fs.writeFileSync(
      script,
      `R=${JSON.stringify(rootDir)}\n${mount}${s.setup}\ncd ${JSON.stringify(REPO)} && ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(MAIN)} iptables-mode ${s.args}\n`,
    );
    const out = runInNewNamespaces(s.mount === undefined ? ['--net'] : ['--net', '--mount'], script, []);
    assert.ok(out.ok, out.ok ? '' : out.reason);
    if (!out.ok) return;
    results.push(`${s.name}: ${out.run.stdout.trim() || `(exit ${String(out.run.status)}: ${out.run.stderr.trim()})`}`);
  }
  assert.deepEqual(
    results,
    SCENARIOS.map((s) => `${s.name}: ${s.expect}`),
  );
});
