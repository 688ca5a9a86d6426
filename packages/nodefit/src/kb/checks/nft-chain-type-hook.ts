// Incident check (Submariner with nftables): a base chain whose family/type/hook the kernel does not accept.
import type { Check } from '../check.ts';
import { judgeRequirements, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';

export const nftChainTypeHookCheck: Check = {
  meta: {
    id: 'nft-chain-type-hook',
    title: 'nftables base chain type/hook not accepted by the kernel',
    description:
      'The kernel accepts an nftables base chain only for certain family x type x hook combinations: route chains only on the output hook (nft_chain_route.c hook_mask), nat chains never on forward, ingress only for netdev and (from 5.10) inet, egress only for netdev from 5.16 with NETFILTER_EGRESS. Anything else fails with EOPNOTSUPP, which nft reports misleadingly as "Chain of type route is not supported, perhaps kernel support is missing?". Submariner\'s route agent declared `type route hook postrouting` for MSS clamping and crash-looped on every kernel until PR #3361 moved it to a filter chain.',
    defaultSeverity: 'error',
    references: [
      'https://github.com/submariner-io/submariner/issues/3355',
      'https://github.com/submariner-io/submariner/pull/3361',
      'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/netfilter/nft_chain_route.c',
      'https://wiki.nftables.org/wiki-nftables/index.php/Netfilter_hooks',
    ],
    remediation: [
      { os: 'any', text: 'Declare the chain with a combination the kernel accepts: for packet mangling before routing use type filter (e.g. MSS clamping in type filter hook postrouting or forward); use type route only on hook output.' },
    ],
  },
  evaluate(ctx) {
    const reqs = requirementsOfKind(ctx, 'nft-chain');
    if (reqs.length === 0) return [{ workload: null, outcome: 'not-applicable', message: 'no selected workload declares nftables base chains', evidence: [] }];
    const chains = ctx.capabilities.nftChains;
    return judgeRequirements(ctx, reqs, ({ workload, req }) => {
      const decl = `${req.family} ${req.type} hook ${req.hook}`;
      const base = { workload: workload.id, requirement: req };
      if (chains.value === 'unknown') return { ...base, outcome: 'unknown', message: `${decl}: chain matrix unknown (${chains.reason})`, evidence: [] };
      const cell = chains.value.find((c) => c.family === req.family && c.type === req.type && c.hook === req.hook);
      const evidence = [{ fact: `capabilities.nftChains.${req.family}.${req.type}.${req.hook}`, value: cell?.verdict ?? 'absent', source: cell?.reason ?? chains.reason }];
      if (cell === undefined || cell.verdict === 'unknown') return { ...base, outcome: 'unknown', message: `${decl}: ${cell?.reason ?? 'not in the chain matrix'}`, evidence };
      if (cell.verdict === 'accepted') return { ...base, outcome: 'pass', message: `${decl} is accepted`, evidence };
      if (cell.verdict === 'rejected')
        return { ...base, outcome: 'fail', message: `${decl} is rejected by every kernel: ${cell.reason} (nft says: Chain of type "${req.type}" is not supported): ${requirementLabel(req)}`, evidence };
      return { ...base, outcome: 'fail', message: `${decl} is not supported by this kernel: ${cell.reason}: ${requirementLabel(req)}`, evidence };
    });
  },
};
