// Runs an external tool with a time limit and captured output, so a probe never hangs nodefit or throws on a missing binary.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ToolRun {
  /** Exit status, or null when the tool could not be started or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started or ran out of time. */
  readonly error?: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Output beyond this is cut: probes only need the first lines of an error. */
const MAX_OUTPUT = 8 * 1024 * 1024;

export function runTool(cmd: string, args: readonly string[], opts: RunOptions = {}): ToolRun {
  const r = spawnSync(cmd, [...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
    input: opts.input,
    env: opts.env ?? { ...process.env, LC_ALL: 'C' },
    maxBuffer: MAX_OUTPUT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  const stderr = typeof r.stderr === 'string' ? r.stderr : '';
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `${cmd}: not found` : code === 'ETIMEDOUT' ? `${cmd}: timed out` : `${cmd}: ${r.error.message}`;
    return { status: null, stdout, stderr, error: why };
  }
  if (r.signal !== null) return { status: null, stdout, stderr, error: `${cmd}: killed by ${r.signal}` };
  return { status: r.status, stdout, stderr };
}

/** The directories a root's tools live in, in the order a root shell's PATH usually lists them. */
export const SBIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of a tool on PATH (plus the sbin directories, which a non-login PATH may lack), or null. */
export function findTool(name: string, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const dirs = [...(env.PATH ?? '').split(':').filter((d) => d.startsWith('/')), ...SBIN_DIRS];
  for (const d of dirs) {
    const p = path.join(d, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

/** First line of a tool's complaint, for a one-line reason. */
export function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}
