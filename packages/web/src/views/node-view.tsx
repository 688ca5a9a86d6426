// One node: its findings by workload, failures first, with the evidence and the remediation for its OS.
import { useEffect, useState } from 'preact/hooks';
import { api, type Finding, type NodeRow } from '../api.ts';
import { Outcome } from '../outcome.tsx';

const RANK: Record<string, number> = { fail: 0, warn: 1, unknown: 2, pass: 3, 'not-applicable': 4 };

function FindingItem({ f, os }: { f: Finding; os: string | null }) {
  const remediation = (f.remediation ?? []).filter((r) => r.os === os || r.os === 'any');
  return (
    <li class={`finding finding-${f.outcome}`}>
      <div>
        <Outcome value={f.outcome} /> <code>{f.checkId}</code> {f.message}
      </div>
      {(f.evidence ?? []).length > 0 && (
        <ul class="evidence">
          {(f.evidence ?? []).map((e, i) => (
            <li key={i}>
              <code>{e.fact}</code> = <code>{e.value}</code> <span class="muted">({e.source})</span>
            </li>
          ))}
        </ul>
      )}
      {f.outcome !== 'pass' && remediation.length > 0 && (
        <div class="remediation">
          {remediation.map((r, i) => (
            <p key={i}>
              <strong>Fix{r.os === 'any' ? '' : ` on ${r.os}`}:</strong> {r.text}
            </p>
          ))}
        </div>
      )}
      {f.outcome !== 'pass' && (f.references ?? []).length > 0 && (
        <div class="refs">
          {(f.references ?? []).map((u) => (
            <a key={u} href={/^https?:\/\//.test(u) ? u : '#'} rel="noreferrer noopener" target="_blank">
              {u}
            </a>
          ))}
        </div>
      )}
    </li>
  );
}

export function NodeView({ name }: { name: string }) {
  const [data, setData] = useState<{ node: NodeRow; findings: Finding[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showPass, setShowPass] = useState(false);
  useEffect(() => {
    api
      .node(name)
      .then(setData)
      .catch((e: unknown) => setError(String(e)));
  }, [name]);
  if (error !== null) return <p class="error">{error}</p>;
  if (data === null) return <p class="muted">Loading {name}…</p>;
  const groups = new Map<string, Finding[]>();
  for (const f of data.findings) {
    if (!showPass && (f.outcome === 'pass' || f.outcome === 'not-applicable')) continue;
    const k = f.workload ?? 'host';
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const worst = (fs: Finding[]) => Math.min(...fs.map((f) => RANK[f.outcome] ?? 9));
  const ordered = [...groups].sort((a, b) => worst(a[1]) - worst(b[1]) || a[0].localeCompare(b[0]));
  const n = data.node;
  return (
    <section>
      <h2 data-testid="node-name">{n.name}</h2>
      <p class="muted">
        {n.osId ?? 'unknown OS'} {n.osVersion ?? ''} · kernel <code>{n.kernelRelease ?? '?'}</code> · {n.arch ?? '?'} · last seen {n.lastSeen}
      </p>
      <p>
        <Outcome value="fail" /> {n.summary.fail} <Outcome value="warn" /> {n.summary.warn} <Outcome value="unknown" /> {n.summary.unknown}{' '}
        <Outcome value="pass" /> {n.summary.pass}
      </p>
      <label class="toggle">
        <input type="checkbox" checked={showPass} onChange={(e) => setShowPass((e.currentTarget as HTMLInputElement).checked)} /> show passing checks
      </label>
      {ordered.map(([w, fs]) => (
        <div class="workload" key={w}>
          <h3>{w}</h3>
          <ul class="findings">
            {fs
              .sort((a, b) => (RANK[a.outcome] ?? 9) - (RANK[b.outcome] ?? 9))
              .map((f, i) => (
                <FindingItem key={i} f={f} os={n.osId} />
              ))}
          </ul>
        </div>
      ))}
      {ordered.length === 0 && <p class="muted">Nothing to fix on this node.</p>}
    </section>
  );
}
