// Typed calls to the fleet server's API; the only place the dashboard talks to the network.
export interface NodeRow {
  name: string;
  osId: string | null;
  osVersion: string | null;
  kernelRelease: string | null;
  arch: string | null;
  lastSeen: string;
  evaluated: boolean;
  summary: { fail: number; warn: number; unknown: number; pass: number };
}

export interface Evidence {
  fact: string;
  value: string;
  source: string;
}

export interface Finding {
  checkId: string;
  workload: string | null;
  outcome: 'pass' | 'fail' | 'warn' | 'unknown' | 'not-applicable';
  severity: string;
  message: string;
  evidence?: Evidence[];
  remediation?: Array<{ os: string; text: string }>;
  references?: string[];
}

export interface Matrix {
  workloads: string[];
  rows: Array<{ node: string; osId: string | null; kernelRelease: string | null; cells: Record<string, string> }>;
}

export interface Stats {
  nodes: number;
  kernels: Array<{ kernel: string; nodes: number }>;
  failingChecks: Array<{ checkId: string; nodes: number }>;
}

export interface WhatIfResult {
  node: string;
  newlyFailing: Array<{ checkId: string; workload: string | null; message: string }>;
  fixed: Array<{ checkId: string; workload: string | null; message: string }>;
}

export interface Filters {
  os?: string;
  kernel?: string;
  workload?: string;
  outcome?: string;
}

function query(f: Filters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (typeof v === 'string' && v !== '') p.set(k, v);
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const api = {
  nodes: (f: Filters = {}) => getJson<{ nodes: NodeRow[] }>(`/api/v1/nodes${query(f)}`).then((r) => r.nodes),
  node: (name: string) => getJson<{ node: NodeRow; findings: Finding[] }>(`/api/v1/nodes/${encodeURIComponent(name)}`),
  matrix: (f: Filters = {}) => getJson<Matrix>(`/api/v1/matrix${query(f)}`),
  stats: () => getJson<Stats>('/api/v1/stats'),
  async whatIf(nodes: string[], candidate: unknown): Promise<WhatIfResult[]> {
    const res = await fetch('/api/v1/what-if', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes, candidate }),
    });
    const body = (await res.json()) as { results?: WhatIfResult[]; error?: string };
    if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    return body.results ?? [];
  },
};
