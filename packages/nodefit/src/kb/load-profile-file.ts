// Reads workload profiles from YAML with yaml + zod (both loaded only here), reporting errors as file:line:column.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { UserError } from '../cli/user-error.ts';
import { ProfileSchema } from './profile-schema.ts';
import type { WorkloadProfile } from './profile-types.ts';

/** Profiles are small; anything larger is not a profile. */
const MAX_PROFILE_BYTES = 1024 * 1024;

function position(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } {
  // The deepest node the path still reaches: a missing key is reported at its parent mapping.
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Parses and validates one profile; throws a one-line UserError naming file, line and column. */
export function parseProfileText(text: string, file: string): WorkloadProfile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new UserError(`${file}:${line}:${col}: invalid YAML: ${firstError.message.split('\n')[0] ?? firstError.code}`);
  }
  const parsed = ProfileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const { line, col } = position(doc, lineCounter, issue.path);
    const where = issue.path.length === 0 ? '' : ` at ${issue.path.map(String).join('.')}`;
    throw new UserError(`${file}:${line}:${col}: invalid workload profile${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function readProfileFile(file: string): WorkloadProfile {
  let text: string;
  try {
    const st = nodeFs.statSync(file);
    if (st.size > MAX_PROFILE_BYTES) throw new UserError(`${file}: larger than ${MAX_PROFILE_BYTES} bytes, not a workload profile`);
    text = nodeFs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseProfileText(text, file);
}

/** Every *.yaml / *.yml in DIR (not recursive), sorted by name; the profile id must match the file name. */
export function readProfileDir(dir: string): WorkloadProfile[] {
  let names: string[];
  try {
    names = nodeFs.readdirSync(dir);
  } catch (e) {
    throw new UserError(`--kb ${dir}: cannot read directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n)).sort();
  if (files.length === 0) throw new UserError(`--kb ${dir}: no .yaml or .yml files`);
  return files.map((n) => {
    const file = nodePath.join(dir, n);
    const p = readProfileFile(file);
    const stem = n.replace(/\.ya?ml$/, '');
    if (p.id !== stem) throw new UserError(`${file}:1:1: profile id ${JSON.stringify(p.id)} does not match the file name (expected ${JSON.stringify(stem)})`);
    return { ...p, origin: file };
  });
}
