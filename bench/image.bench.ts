// `nodefit image` of a ~100 MB docker-save tarball (real Debian packages as layers), beside `tar -xOf` of the same file,
// and beside the floor no image reader in Node can beat: starting node, reading the file and sha256 of all of it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeBenchImage } from '../packages/nodefit/test/helpers/image-builder.ts';
import { timeCommand, type BenchRow } from './measure.ts';
import { CLI } from './paths.ts';

/** Reads the file in 1 MiB pieces and hashes all of it, as the image reader must (blob digests). */
const HASH_FILE = `const fs = require('node:fs'); const h = require('node:crypto').createHash('sha256'); const b = Buffer.allocUnsafe(1 << 20);
const fd = fs.openSync(process.argv[1], 'r'); for (let n; (n = fs.readSync(fd, b, 0, b.length, null)) > 0; ) h.update(b.subarray(0, n)); h.digest();`;

function peakRssMb(args: string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = r.stderr.toString().trim().split('\n');
  return Number(lines[lines.length - 1]) / 1024;
}

export async function imageBench(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-bench-image-'));
  try {
    const file = path.join(dir, 'bench-image.tar');
    if ((await writeBenchImage(file)) === null) return [{ name: 'nodefit image (docker-save tarball)', medianMs: NaN, note: 'fixtures missing: npm run fixtures' }];
    const mb = (fs.statSync(file).size / 1e6).toFixed(0);
    const ours = timeCommand(process.execPath, [CLI, 'image', file, '--format', 'json'], 7);
    const tar = timeCommand('sh', ['-c', `tar -xOf '${file}' > /dev/null`], 7);
    const floor = timeCommand(process.execPath, ['-e', HASH_FILE, file], 7);
    const rss = fs.existsSync('/usr/bin/time') ? peakRssMb([CLI, 'image', file, '--format', 'json']) : NaN;
    return [
      {
        name: `nodefit image (docker-save, ${mb} MB)`,
        medianMs: ours.medianMs,
        baseline: { name: 'tar -xOf > /dev/null', medianMs: tar.medianMs },
        target: { text: '<= 1.5x tar -xOf, peak RSS < 150 MB', met: ours.medianMs <= 1.5 * tar.medianMs && rss < 150 },
        note: `peak RSS ${rss.toFixed(0)} MB`,
      },
      {
        name: 'floor: node start + read + sha256 of the file',
        medianMs: floor.medianMs,
        baseline: { name: 'tar -xOf > /dev/null', medianMs: tar.medianMs },
        note: 'every blob digest must be verified: no image reader in Node runs faster than this',
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
