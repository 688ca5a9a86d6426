// "If these nodes got kernel X": each node keeps its own userspace facts and takes the candidate's kernel and modules.
import type { Report, Snapshot } from 'nodefit';
import type { WhatIfNodeResult } from './api/app.ts';

type Brief = { checkId: string; workload: string | null; message: string };

function failures(r: Report): Map<string, Brief> {
  const m = new Map<string, Brief>();
  for (const f of r.findings) {
    if (f.outcome === 'fail') m.set(`${f.checkId}\u0000${f.workload ?? ''}`, { checkId: f.checkId, workload: f.workload, message: f.message });
  }
  return m;
}

export function makeWhatIf(evaluate: (s: Snapshot) => Report) {
  return (nodes: ReadonlyArray<{ name: string; snapshot: Snapshot }>, candidate: Snapshot): WhatIfNodeResult[] =>
    nodes.map(({ name, snapshot }) => {
      const upgraded: Snapshot = {
        ...snapshot,
        facts: { ...snapshot.facts, kernel: candidate.facts.kernel, modules: candidate.facts.modules },
      };
      const before = failures(evaluate(snapshot));
      const after = failures(evaluate(upgraded));
      return {
        node: name,
        newlyFailing: [...after].filter(([k]) => !before.has(k)).map(([, v]) => v),
        fixed: [...before].filter(([k]) => !after.has(k)).map(([, v]) => v),
      };
    });
}
