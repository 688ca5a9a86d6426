// Finds /etc/fstab lines that mount binfmt_misc at boot (fstab(5)).
import { unescapeMountField } from '../cgroups/parse-mountinfo.ts';

export interface FstabMount {
  readonly line: number;
  readonly mountPoint: string;
  readonly options: readonly string[];
}

/** binfmt_misc lines not marked noauto (noauto lines are never mounted at boot). */
export function binfmtFstabMounts(text: string): FstabMount[] {
  const out: FstabMount[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const t = (rows[i] as string).trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(/\s+/);
    if (f.length < 3 || f[2] !== 'binfmt_misc') continue;
    const options = (f[3] ?? 'defaults').split(',');
    if (options.includes('noauto')) continue;
    out.push({ line: i + 1, mountPoint: unescapeMountField(f[1] as string), options });
  }
  return out;
}
