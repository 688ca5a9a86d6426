import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectOs } from '../../../src/facts/os/collect.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { need, tempDir } from '../../helpers/fixtures.ts';

test('live host: os-release from /etc/os-release and arch equal to `uname -m`', (t) => {
  if (!need(t, process.platform === 'linux' && fs.existsSync('/etc/os-release'), 'a Linux host with /etc/os-release')) return;
  const os = collectOs({ fs: new RootFs('/'), release: undefined, offline: false });
  assert.equal(os.release.state === 'known' && os.release.source, '/etc/os-release');
  const id = /^ID=("?)([^"\n]*)\1$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[2];
  assert.equal(os.release.state === 'known' && os.release.value.id, id);
  assert.equal(os.arch.state === 'known' && os.arch.value, execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
});

test('--root tree: /usr/lib/os-release when /etc has none, and arch from the ELF header of /bin/sh', (t) => {
  if (!need(t, process.platform === 'linux', 'Linux')) return;
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
  fs.mkdirSync(path.join(root, 'bin'));
  fs.writeFileSync(path.join(root, 'usr/lib/os-release'), 'ID=flatcar\nID_LIKE=coreos\nVERSION_ID=3815.2.2\n');
  // the tree's /bin/sh is a copy of this machine's node binary header: a real ELF file of known architecture
  const head = Buffer.alloc(64);
  const fd = fs.openSync(process.execPath, 'r');
  fs.readSync(fd, head, 0, 64, 0);
  fs.closeSync(fd);
  fs.writeFileSync(path.join(root, 'bin/sh'), head);
  const os = collectOs({ fs: new RootFs(root), release: '6.6.21-flatcar', offline: true });
  assert.equal(os.release.state === 'known' && os.release.value.family, 'flatcar');
  assert.equal(os.release.state === 'known' && os.release.source, path.join(root, 'usr/lib/os-release'));
  assert.equal(os.arch.state === 'known' && os.arch.value, execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
  assert.match(os.arch.state === 'known' ? os.arch.source : '', /ELF header of .*bin\/sh/);
});

test('nothing to go on: release and arch are unknown with the paths tried (no guessing from the machine running nodefit)', () => {
  const os = collectOs({ fs: new MemoryFs('empty'), release: '6.8.0-31-generic', offline: true });
  assert.equal(os.release.state, 'unknown');
  assert.deepEqual(os.release.state === 'unknown' && os.release.tried, ['/etc/os-release', '/usr/lib/os-release']);
  assert.equal(os.arch.state, 'unknown');
  assert.ok(os.arch.state === 'unknown' && os.arch.tried.includes('kernel release 6.8.0-31-generic'));
});

test('a damaged os-release (directory, no ID) is unknown with the problem named', () => {
  const m = new MemoryFs('bad');
  m.addDir('/etc/os-release');
  m.addFile('/usr/lib/os-release', Buffer.from('NAME=x\n'));
  const os = collectOs({ fs: m, release: undefined, offline: true });
  assert.match(os.release.state === 'unknown' ? os.release.reason : '', /\/etc\/os-release: is a directory; \/usr\/lib\/os-release: no ID= line/);
});
