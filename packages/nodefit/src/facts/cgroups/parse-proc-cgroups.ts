// Parses /proc/cgroups: every controller the kernel has, its v1 hierarchy id (0 = not on v1) and whether it is enabled.

export interface ProcCgroupsLine {
  readonly name: string;
  readonly hierarchy: number;
  readonly numCgroups: number;
  readonly enabled: boolean;
}

export type ProcCgroupsResult =
  | { readonly ok: true; readonly lines: readonly ProcCgroupsLine[] }
  | { readonly ok: false; readonly reason: string };

const NUM = /^\d{1,10}$/;

/**
 * Format (kernel/cgroup/cgroup-v1.c proc_cgroupstats_show): a "#subsys_name\thierarchy\tnum_cgroups\tenabled" header,
 * then one tab-separated line per controller. A line that does not fit means the file is not what the kernel
 * wrote, so the whole table is refused with the line named.
 */
export function parseProcCgroups(text: string): ProcCgroupsResult {
  const lines: ProcCgroupsLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string;
    if (row.trim() === '' || row.startsWith('#')) continue;
    const f = row.trim().split(/\s+/);
    const [name, hier, num, en] = f;
    if (
      f.length !== 4 ||
      name === undefined ||
      !/^[a-z0-9_]+$/.test(name) ||
      !NUM.test(hier ?? '') ||
      !NUM.test(num ?? '') ||
      (en !== '0' && en !== '1')
    ) {
      const shown = row.length > 80 ? `${row.slice(0, 80)}…` : row;
      return { ok: false, reason: `line ${i + 1} is not a /proc/cgroups line: ${JSON.stringify(shown)}` };
    }
    lines.push({ name, hierarchy: Number(hier), numCgroups: Number(num), enabled: en === '1' });
  }
  if (lines.length === 0) return { ok: false, reason: 'no controllers listed' };
  return { ok: true, lines };
}
