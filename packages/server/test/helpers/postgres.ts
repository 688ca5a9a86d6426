// Starts a throwaway PostgreSQL server (Debian's binaries, run as the postgres user) in a temp dir for one test file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

function findBin(name: string): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  for (const v of fs.readdirSync(base).sort().reverse()) {
    const p = path.join(base, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningPostgres {
  readonly url: string;
  stop(): void;
}

/** Undefined when PostgreSQL's server binaries are not installed (apt-get install postgresql). */
export async function startPostgres(): Promise<RunningPostgres | undefined> {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  if (initdb === undefined || pgCtl === undefined) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-pg-'));
  fs.chmodSync(dir, 0o755);
  const asPostgres = (cmd: string, args: string[]) =>
    process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  asPostgres(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  asPostgres(pgCtl, ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
