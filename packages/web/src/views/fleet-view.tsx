// The fleet at a glance: filters, the nodes × workloads matrix, and where the failures concentrate.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Filters, type Matrix, type NodeRow, type Stats } from '../api.ts';
import { BarChart } from '../charts.tsx';
import { Outcome, OUTCOMES } from '../outcome.tsx';
import { nodeHref } from '../route.ts';

function Select({ label, value, options, onChange, name }: { label: string; value: string; options: string[]; onChange: (v: string) => void; name: string }) {
  return (
    <label class="filter">
      {label}
      <select name={name} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">all</option>
        {options.map((o) => (
          <option value={o} key={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FleetView() {
  const [filters, setFilters] = useState<Filters>({});
  const [all, setAll] = useState<NodeRow[]>([]);
  const [matrix, setMatrix] = useState<Matrix | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api.nodes(), api.stats()])
      .then(([n, s]) => {
        setAll(n);
        setStats(s);
      })
      .catch((e: unknown) => setError(String(e)));
  }, []);
  useEffect(() => {
    api
      .matrix(filters)
      .then(setMatrix)
      .catch((e: unknown) => setError(String(e)));
  }, [filters.os, filters.kernel, filters.workload, filters.outcome]);

  const osOptions = useMemo(() => [...new Set(all.map((n) => n.osId).filter((x): x is string => x !== null))].sort(), [all]);
  const kernelOptions = useMemo(() => [...new Set(all.map((n) => n.kernelRelease).filter((x): x is string => x !== null))].sort(), [all]);
  const set = (k: keyof Filters) => (v: string) => setFilters({ ...filters, [k]: v === '' ? undefined : v });
  const workloads = matrix?.workloads ?? [];

  return (
    <section>
      {error !== null && <p class="error">{error}</p>}
      <div class="cards">
        <div class="card">
          <div class="big" data-testid="node-count">{stats?.nodes ?? '…'}</div>
          nodes
        </div>
        <div class="card">
          <div class="big">{stats?.kernels.length ?? '…'}</div>
          kernels
        </div>
        <div class="card">
          <div class="big fail-text">{all.filter((n) => n.summary.fail > 0).length}</div>
          nodes with failures
        </div>
      </div>
      <div class="filters">
        <Select name="os" label="OS" value={filters.os ?? ''} options={osOptions} onChange={set('os')} />
        <Select name="kernel" label="Kernel" value={filters.kernel ?? ''} options={kernelOptions} onChange={set('kernel')} />
        <Select name="workload" label="Workload" value={filters.workload ?? ''} options={workloads} onChange={set('workload')} />
        <Select name="outcome" label="Outcome" value={filters.outcome ?? ''} options={[...OUTCOMES]} onChange={set('outcome')} />
      </div>
      <div class="matrix-wrap">
        <table class="matrix" data-testid="matrix">
          <thead>
            <tr>
              <th>node</th>
              <th>OS</th>
              <th>kernel</th>
              {(filters.workload === undefined ? workloads : [filters.workload]).map((w) => (
                <th class="rot" key={w}>
                  <span>{w}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(matrix?.rows ?? []).map((r) => (
              <tr key={r.node} data-node={r.node}>
                <td>
                  <a href={nodeHref(r.node)}>{r.node}</a>
                </td>
                <td>{r.osId ?? '?'}</td>
                <td class="mono">{r.kernelRelease ?? '?'}</td>
                {(filters.workload === undefined ? workloads : [filters.workload]).map((w) => (
                  <td key={w}>{r.cells[w] === undefined ? '' : <Outcome value={r.cells[w] ?? ''} />}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {matrix !== null && matrix.rows.length === 0 && <p class="muted">No node matches these filters.</p>}
      </div>
      {stats !== null && (
        <div class="charts">
          <div>
            <h3>Kernels in the fleet</h3>
            <BarChart label="nodes" labels={stats.kernels.map((k) => k.kernel)} values={stats.kernels.map((k) => k.nodes)} color="#4f7cac" />
          </div>
          <div>
            <h3>Most failing checks</h3>
            <BarChart label="nodes failing" labels={stats.failingChecks.map((c) => c.checkId)} values={stats.failingChecks.map((c) => c.nodes)} color="#c0392b" />
          </div>
        </div>
      )}
    </section>
  );
}
