// `nodefit iptables-mode`: print nft or legacy, the backend a container on this host should use (iptables-wrappers'
// rules); one word on stdout so an entrypoint can do `mode=$(nodefit iptables-mode --root /host)`.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { EXIT_OK, UserError } from '../user-error.ts';

export const iptablesModeCommand: CommandSpec = {
  name: 'iptables-mode',
  compiler: 'optimizing',
  summary: 'print nft or legacy: the backend a container on this host should use',
  configure(cmd: Command) {
    cmd
      .option('--root <DIR>', 'host root mounted at DIR: its own iptables-save binaries are run with chroot DIR')
      .option('-v, --verbose', 'say on stderr which commands ran and why the mode was chosen')
      .addHelpText(
        'after',
        [
          '',
          'Decides like kubernetes-sigs/iptables-wrappers: kubelet\'s KUBE-IPTABLES-HINT / KUBE-KUBELET-CANARY chains in the',
          'nft mangle tables (iptables-nft-save -t mangle, ip6tables-nft-save -t mangle) mean nft; in the full legacy saves',
          '(never -t mangle: that would create the table) mean legacy; otherwise nft. Only reads rules.',
          'With --root DIR the host\'s own xtables binaries under DIR run via `chroot DIR` (needs CAP_SYS_CHROOT; the',
          'container must share the host network namespace to see the host\'s rules).',
          '',
          'As a container entrypoint (hostNetwork pod, host / mounted at /host):',
          '  mode=$(nodefit iptables-mode --root /host) && ln -sf "xtables-$mode-multi" /usr/sbin/iptables',
        ].join('\n'),
      );
  },
  async run(_args, opts, io) {
    const { detectIptablesMode, hostSaveRunner } = await import('../../probes/iptables-mode.ts');
    const root = typeof opts.root === 'string' ? nodePath.resolve(io.cwd, opts.root) : '/';
    let st;
    try {
      st = nodeFs.statSync(root);
    } catch {
      throw new UserError(`--root ${String(opts.root)}: no such directory`);
    }
    if (!st.isDirectory()) throw new UserError(`--root ${String(opts.root)}: not a directory`);
    const d = detectIptablesMode(hostSaveRunner(root));
    const failed = d.steps.filter((s) => s.output === null);
    if (opts.verbose !== true && failed.length === d.steps.length) {
      // upstream ignores read errors too, but a helper that could read nothing should say so once
      io.stderr(`nodefit: warning: could not read any iptables rules (${failed[0]?.error ?? 'unknown error'}); using the default, nft\n`);
    }
    if (opts.verbose === true) {
      for (const s of d.steps) io.stderr(`nodefit: ran ${s.command}${s.error === undefined ? '' : ` (failed: ${s.error})`}\n`);
      io.stderr(`nodefit: ${d.mode}: ${d.reason}\n`);
    }
    io.stdout(`${d.mode}\n`);
    return EXIT_OK;
  },
};
