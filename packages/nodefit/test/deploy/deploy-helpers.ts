// Shared by the deploy tests: loads every manifest under deploy/kubernetes, runs the nodefit CLI, and reads flag lists.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');
export const KUBE_DIR = path.join(DEPLOY_DIR, 'kubernetes');

/**
 * kubectl reads manifests with go-yaml's YAML 1.1 rules (sigs.k8s.io/yaml), where `defaultMode: 0400` is octal 256;
 * YAML 1.2, the yaml package's default, would read decimal 400.
 */
const YAML_AS_KUBECTL = { version: '1.1' } as const;

/** One document of a manifest file; `where` names it for assertion messages (file and document index). */
export interface Manifest {
  readonly file: string;
  readonly where: string;
  readonly body: Record<string, unknown>;
}

export function yamlFiles(dir: string = KUBE_DIR): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Parses every YAML document, failing with the file and the parser's position on any syntax error. */
export function loadManifests(files: readonly string[] = yamlFiles()): Manifest[] {
  const out: Manifest[] = [];
  for (const file of files) {
    const rel = path.relative(REPO_ROOT, file);
    parseAllDocuments(fs.readFileSync(file, 'utf8'), YAML_AS_KUBECTL).forEach((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`${rel} document ${i + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const body: unknown = doc.toJS();
      if (body === null || body === undefined) return;
      if (typeof body !== 'object' || Array.isArray(body)) throw new Error(`${rel} document ${i + 1}: not a mapping`);
      out.push({ file, where: `${rel}#${i + 1}`, body: body as Record<string, unknown> });
    });
  }
  return out;
}

export const isKustomization = (m: Manifest): boolean => m.body.kind === 'Kustomization' || m.body.kind === 'Component';

/** Parses YAML text (e.g. `kubectl kustomize` output) into manifests named after `label`. */
export function manifestsFromText(text: string, label: string): Manifest[] {
  return parseAllDocuments(text, YAML_AS_KUBECTL).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${label} document ${i + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const body: unknown = doc.toJS();
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? [{ file: label, where: `${label}#${i + 1}`, body: body as Record<string, unknown> }] : [];
  });
}

const DIST_CLI = path.join(REPO_ROOT, 'packages/nodefit/dist/cli.cjs');
const SRC_CLI = path.join(REPO_ROOT, 'packages/nodefit/src/cli/main.ts');

/** The built CLI (what the images ship); the TypeScript entry through tsx only when dist is missing mid-rebuild. */
export function runCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const argv = fs.existsSync(DIST_CLI) ? [DIST_CLI, ...args] : ['--import', 'tsx', SRC_CLI, ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: REPO_ROOT, env: opts.env ?? process.env, timeout: 120_000 });
}

/** Long flags a command's --help lists, e.g. `report` → {--root, --server, ...}. */
export function helpFlags(command: string): Set<string> {
  const r = runCli([command, '--help']);
  if (r.status !== 0) throw new Error(`nodefit ${command} --help exited ${r.status}: ${r.stderr}`);
  const flags = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    // option lines start indented with the flag(s): "  -w, --workload <W>   ..." or "  --root <DIR>   ..."
    const m = /^\s+(?:-[A-Za-z], )?(--[a-z][a-z0-9-]*)/.exec(line);
    if (m) flags.add(m[1]!);
  }
  return flags;
}

/**
 * A CLI argument list as the command (first word) and its `--flag value` pairs. Every flag used in the manifests takes
 * a value, so a flag followed by another flag (or by nothing) is reported as an error rather than guessed at.
 */
export function parseArgs(args: readonly string[]): { command: string; flags: Map<string, string> } {
  const [command, ...rest] = args;
  if (command === undefined || command.startsWith('-')) throw new Error(`no command in ${JSON.stringify(args)}`);
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (!flag.startsWith('--')) throw new Error(`expected a --flag at ${JSON.stringify(flag)} in ${JSON.stringify(args)}`);
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} has no value in ${JSON.stringify(args)}`);
    if (flags.has(flag)) throw new Error(`${flag} given twice in ${JSON.stringify(args)}`);
    flags.set(flag, value);
  }
  return { command, flags };
}

/** Is `file` at or below directory `dir` (both absolute POSIX paths)? */
export function isUnder(file: string, dir: string): boolean {
  const rel = path.posix.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.posix.isAbsolute(rel);
}
