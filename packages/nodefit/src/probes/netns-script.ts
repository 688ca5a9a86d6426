// Runs a shell script inside a network namespace nodefit creates with `unshare --net` and that dies with the script.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTool, runTool, type ToolRun } from './exec.ts';

export interface ScratchDir {
  readonly dir: string;
  write(name: string, text: string): string;
  read(name: string): string | null;
  mkdir(name: string): string;
}

/** A private temp dir, removed when fn returns or throws. */
export function withScratchDir<T>(prefix: string, fn: (s: ScratchDir) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return fn({
      dir,
      write(name, text) {
        const p = path.join(dir, name);
        fs.writeFileSync(p, text, { mode: 0o600 });
        return p;
      },
      mkdir(name) {
        const p = path.join(dir, name);
        fs.mkdirSync(p, { mode: 0o700 });
        return p;
      },
      read(name) {
        try {
          return fs.readFileSync(path.join(dir, name), 'utf8');
        } catch {
          return null;
        }
      },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type UnshareOutcome = { readonly ok: true; readonly run: ToolRun } | { readonly ok: false; readonly reason: string };

/**
 * `unshare <flags> -- /bin/sh SCRIPT ARGS…`: the namespaces exist only while the script runs (no names, nothing
 * persistent), so teardown is the script's exit. flags must create at least a new network or user namespace.
 */
export function runInNewNamespaces(flags: readonly string[], script: string, args: readonly string[], timeoutMs = 120_000): UnshareOutcome {
  if (!flags.includes('--net') && !flags.includes('--user')) throw new Error('refusing to run a probe outside a new namespace');
  const unshare = findTool('unshare');
  if (unshare === null) return { ok: false, reason: 'unshare (util-linux) not found' };
  const sh = fs.existsSync('/bin/sh') ? '/bin/sh' : findTool('sh');
  if (sh === null) return { ok: false, reason: 'no /bin/sh to run the probe script' };
  const run = runTool(unshare, [...flags, '--', sh, script, ...args], { timeoutMs });
  if (run.error !== undefined) return { ok: false, reason: run.error };
  return { ok: true, run };
}
