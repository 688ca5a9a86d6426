// `nodefit diff` of the real Debian 6.1 and 6.12 kernel packages, read in place, beside dpkg-deb unpacking both.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { timeCommand, type BenchRow } from './measure.ts';
import { CLI, FIXTURES } from './paths.ts';

export function diffBench(): BenchRow[] {
  const manifest = path.join(FIXTURES, 'manifest.json');
  if (!fs.existsSync(manifest)) return [{ name: 'nodefit diff (Debian 6.1 → 6.12 packages)', medianMs: NaN, note: 'fixtures missing: npm run fixtures' }];
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { debs: Record<string, { path: string }> };
  const a = m.debs['kernel-6.1']?.path;
  const b = m.debs['kernel-6.12']?.path;
  if (a === undefined || b === undefined) return [];
  const size = (p: string) => `${(fs.statSync(p).size / 1e6).toFixed(0)} MB`;
  const diff = timeCommand(process.execPath, [CLI, 'diff', a, b, '--format', 'json'], 5, { okCodes: [0, 1] });
  const dpkg = timeCommand('sh', ['-c', `dpkg-deb --fsys-tarfile '${a}' > /dev/null && dpkg-deb --fsys-tarfile '${b}' > /dev/null`], 5);
  return [
    {
      name: `nodefit diff 6.1.deb (${size(a)}) 6.12.deb (${size(b)})`,
      medianMs: diff.medianMs,
      baseline: { name: 'dpkg-deb --fsys-tarfile both', medianMs: dpkg.medianMs },
      target: { text: '< 5000 ms and <= 1.5x dpkg-deb', met: diff.medianMs < 5000 && diff.medianMs <= 1.5 * dpkg.medianMs },
    },
  ];
}
