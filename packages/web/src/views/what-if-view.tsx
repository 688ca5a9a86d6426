// "What breaks if these nodes get that kernel?": pick nodes, give a candidate snapshot, see per-node changes.
import { useEffect, useState } from 'preact/hooks';
import { api, type NodeRow, type WhatIfResult } from '../api.ts';
import { nodeHref } from '../route.ts';

export function WhatIfView() {
  const [nodes, setNodes] = useState<NodeRow[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [candidate, setCandidate] = useState('');
  const [results, setResults] = useState<WhatIfResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .nodes()
      .then((n) => {
        setNodes(n);
        setChosen(new Set(n.map((x) => x.name)));
      })
      .catch((e: unknown) => setError(String(e)));
  }, []);

  const run = async () => {
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      setError('The candidate is not valid JSON: paste the output of `nodefit scan --kernel-package FILE`.');
      return;
    }
    setBusy(true);
    try {
      setResults(await api.whatIf([...chosen], parsed));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: Event) => {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    if (f !== undefined) setCandidate(await f.text());
  };

  return (
    <section>
      <h2>What if these nodes got another kernel?</h2>
      <p class="muted">
        Candidate: a snapshot of the new kernel, e.g. <code>nodefit scan --kernel-package linux-image-….deb -o candidate.json</code>. Each node keeps its own
        userspace facts and takes the candidate's kernel and modules.
      </p>
      <div class="whatif">
        <fieldset>
          <legend>Nodes ({chosen.size})</legend>
          <div class="node-list">
            {nodes.map((n) => (
              <label key={n.name}>
                <input
                  type="checkbox"
                  name="node"
                  value={n.name}
                  checked={chosen.has(n.name)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if ((e.currentTarget as HTMLInputElement).checked) next.add(n.name);
                    else next.delete(n.name);
                    setChosen(next);
                  }}
                />{' '}
                {n.name} <span class="muted mono">{n.kernelRelease ?? ''}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Candidate snapshot</legend>
          <input type="file" accept="application/json,.json" onChange={onFile} />
          <textarea name="candidate" rows={8} placeholder="…or paste the snapshot JSON here" value={candidate} onInput={(e) => setCandidate((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="button" disabled={busy || chosen.size === 0 || candidate.trim() === ''} onClick={() => void run()}>
            {busy ? 'Evaluating…' : 'Run what-if'}
          </button>
        </fieldset>
      </div>
      {error !== null && <p class="error">{error}</p>}
      {results !== null && (
        <table class="results" data-testid="what-if-results">
          <thead>
            <tr>
              <th>node</th>
              <th>newly failing</th>
              <th>fixed</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.node}>
                <td>
                  <a href={nodeHref(r.node)}>{r.node}</a>
                </td>
                <td>
                  {r.newlyFailing.length === 0 ? (
                    <span class="muted">none</span>
                  ) : (
                    <ul>
                      {r.newlyFailing.map((f, i) => (
                        <li key={i} class="fail-text">
                          <code>{f.checkId}</code> {f.workload ?? ''}: {f.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {r.fixed.length === 0 ? (
                    <span class="muted">none</span>
                  ) : (
                    <ul>
                      {r.fixed.map((f, i) => (
                        <li key={i}>
                          <code>{f.checkId}</code> {f.workload ?? ''}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
