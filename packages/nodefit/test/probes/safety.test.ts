// Safety: after the whole probe suite (every probe, nodefit probe, nft -c checks, iptables-mode with real chains and
// --root via chroot), the machine's own namespaces are unchanged: nft ruleset, legacy and nft iptables tables,
// binfmt_misc entries, loaded modules, mounts, links and named network namespaces compared before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { findTool, runTool } from '../../src/probes/exec.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { runInNewNamespaces } from '../../src/probes/netns-script.ts';
import { runProbes } from '../../src/probes/run-probes.ts';
import { need, tempDir } from '../helpers/fixtures.ts';

const REPO = path.resolve(import.meta.dirname, '../../../..');

/** Output of a host command with volatile parts (generation comments, packet counters) removed. */
function hostCommand(cmd: string, args: string[]): string {
  const bin = findTool(cmd);
  if (bin === null) return `${cmd}: not installed`;
  const r = runTool(bin, args, { timeoutMs: 30_000 });
  const text = (r.stdout + (r.status === 0 ? '' : `\n[exit ${String(r.status)}] ${r.stderr}`))
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[counters]'))
    .join('\n');
  return text;
}

function readOr(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    return `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

function listOr(p: string): string {
  try {
    return fs.readdirSync(p).sort().join('\n');
  } catch (e) {
    return `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

function hostState(): Record<string, string> {
  return {
    'nft list ruleset': hostCommand('nft', ['list', 'ruleset']),
    'iptables-legacy-save': hostCommand('iptables-legacy-save', []),
    'ip6tables-legacy-save': hostCommand('ip6tables-legacy-save', []),
    'iptables-nft-save': hostCommand('iptables-nft-save', []),
    'ip6tables-nft-save': hostCommand('ip6tables-nft-save', []),
    '/proc/net/ip_tables_names': readOr('/proc/net/ip_tables_names'),
    '/proc/sys/fs/binfmt_misc': listOr('/proc/sys/fs/binfmt_misc'),
    '/proc/modules': readOr('/proc/modules'),
    '/proc/self/mountinfo': readOr('/proc/self/mountinfo'),
    '/proc/1/mountinfo': readOr('/proc/1/mountinfo'),
    'ip -o link': hostCommand('ip', ['-o', 'link']),
    'ip netns list': hostCommand('ip', ['netns', 'list']),
    '/proc/self/ns/net': fs.readlinkSync('/proc/self/ns/net'),
    '/proc/self/ns/mnt': fs.readlinkSync('/proc/self/ns/mnt'),
    '/proc/self/ns/user': fs.readlinkSync('/proc/self/ns/user'),
  };
}

test('the probe suite leaves the host namespaces exactly as it found them', async (t) => {
  const tools = ['unshare', 'nft', 'iptables-legacy', 'iptables-nft', 'chroot'].every((x) => findTool(x) !== null);
  if (!need(t, checkProbePrivileges().ok && tools, 'root with unshare, nft, iptables-legacy, iptables-nft, chroot')) return;
  const before = hostState();

  // 1. every probe directly and through the CLI (which also writes a snapshot)
  const probes = runProbes();
  assert.equal(probes.nftChains?.state, 'known');
  const dir = tempDir(t, 'nodefit-safety-');
  assert.equal(await runCli(['probe', '-o', path.join(dir, 'snap.json')], memoryIo()), 0);

  // 2. nft -c over a ruleset, and rules actually loaded (not just checked) inside a throwaway namespace
  const rs = path.join(dir, 'r.nft');
  fs.writeFileSync(rs, 'table inet nodefit_safety {\n\tchain c { type filter hook input priority 0; policy accept; }\n}\n');
  const loadScript = path.join(dir, 'load.sh');
  fs.writeFileSync(loadScript, `nft -c -f ${JSON.stringify(rs)} && nft -f ${JSON.stringify(rs)} && nft list table inet nodefit_safety >/dev/null && echo loaded\n`);
  const loaded = runInNewNamespaces(['--net'], loadScript, []);
  assert.ok(loaded.ok && loaded.run.stdout.includes('loaded'), 'ruleset loaded in the throwaway namespace');

  // 3. iptables-mode with kubelet chains in both backends and a host root read through chroot
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  const modeScript = path.join(dir, 'mode.sh');
  fs.writeFileSync(
    modeScript,
    `mount --rbind / ${JSON.stringify(root)} || exit 97\n` +
      'iptables-legacy -w -t mangle -N KUBE-IPTABLES-HINT; iptables-nft -w -t mangle -N KUBE-KUBELET-CANARY\n' +
      `cd ${JSON.stringify(REPO)} && ${JSON.stringify(process.execPath)} --import tsx packages/nodefit/src/cli/main.ts iptables-mode --root ${JSON.stringify(root)}\n`,
  );
  const mode = runInNewNamespaces(['--net', '--mount'], modeScript, []);
  assert.ok(mode.ok);
  assert.equal(mode.ok ? mode.run.stdout.trim() : '', 'nft');

  const after = hostState();
  for (const key of Object.keys(before)) assert.equal(after[key], before[key], `host state changed: ${key}`);
});
