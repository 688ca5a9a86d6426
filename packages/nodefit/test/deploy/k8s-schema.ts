// Validates Kubernetes objects against the upstream API schema, in two complementary ways, both from the
// kubernetes-models package (generated from the Kubernetes v1.27.1 OpenAPI spec, github.com/tommy351/kubernetes-models-ts):
//  1. its ajv-compiled JSON Schema validators: types, required fields, enums and formats (quantities, int-or-string);
//  2. its TypeScript interfaces, type-checked with excess-property checks: the OpenAPI schemas do not set
//     additionalProperties false, so (1) alone would accept a misspelt field such as `readonly: true`.
import * as path from 'node:path';
import ts from 'typescript';
import type { Manifest } from './deploy-helpers.ts';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** "apps/v1" + "DaemonSet" → the kubernetes-models module path and class; core objects live under "v1". */
function modelModule(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

/** Schema errors for one object (empty when valid), or a message saying its apiVersion/kind has no schema. */
export async function schemaErrors(m: Manifest): Promise<string[]> {
  const { apiVersion, kind } = m.body;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [`${m.where}: apiVersion and kind must be strings`];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modelModule(apiVersion))) as Record<string, unknown>;
  } catch {
    return [`${m.where}: no schema for apiVersion ${apiVersion}`];
  }
  const Cls = mod[kind];
  if (typeof Cls !== 'function') return [`${m.where}: no schema for ${apiVersion} ${kind}`];
  try {
    new (Cls as ModelClass)(m.body).validate();
    return [];
  } catch (e) {
    return [`${m.where}: ${e instanceof Error ? e.message : String(e)}`];
  }
}

/**
 * Fields newer than the v1.27.1 schema, allowed with their documented values and removed before the type check.
 * recursiveReadOnly: VolumeMount, Kubernetes 1.30 (KEP-3857, "Recursive Read-only (RRO) mounts").
 */
export const NEWER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  recursiveReadOnly: ['Disabled', 'IfPossible', 'Enabled'],
};

/** A deep copy without the NEWER_FIELDS keys; a newer field with an undocumented value is reported instead. */
function withoutNewerFields(v: unknown, where: string, problems: string[]): unknown {
  if (Array.isArray(v)) return v.map((x) => withoutNewerFields(x, where, problems));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const allowed = NEWER_FIELDS[k];
    if (allowed !== undefined) {
      if (typeof x !== 'string' || !allowed.includes(x)) problems.push(`${where}: ${k} must be one of ${allowed.join(', ')}, not ${JSON.stringify(x)}`);
      continue;
    }
    out[k] = withoutNewerFields(x, where, problems);
  }
  return out;
}

/**
 * Type-checks every object against the kubernetes-models interface of its kind (`I<Kind>` from
 * kubernetes-models/<apiVersion>/<Kind>) in an in-memory TypeScript program. Returns one message per problem,
 * naming the object: unknown fields, wrong types, missing required fields.
 */
export function strictFieldErrors(manifests: readonly Manifest[], baseDir: string): string[] {
  const problems: string[] = [];
  const files = new Map<string, { source: string; where: string }>();
  manifests.forEach((m, i) => {
    const { apiVersion, kind } = m.body;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) {
      problems.push(`${m.where}: apiVersion and kind must be strings`);
      return;
    }
    const body = withoutNewerFields(m.body, m.where, problems);
    const file = path.join(baseDir, `__k8s_object_${i}.ts`);
    const source = `import type { I${kind} } from '${modelModule(apiVersion)}/${kind}';\nexport const o: I${kind} = ${JSON.stringify(body, null, 1)};\n`;
    files.set(file, { source, where: m.where });
  });
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f)?.source ?? readFile(f);
  host.getSourceFile = (f, lang, onError, shouldCreate) => {
    const v = files.get(f);
    return v === undefined ? getSourceFile(f, lang, onError, shouldCreate) : ts.createSourceFile(f, v.source, lang, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const file = d.file === undefined ? undefined : files.get(d.file.fileName);
    if (file === undefined || d.start === undefined) {
      problems.push(text);
      continue;
    }
    // the line of the offending field inside the JSON rendering, for context
    const line = d.file!.text.slice(d.file!.text.lastIndexOf('\n', d.start) + 1, d.file!.text.indexOf('\n', d.start)).trim();
    problems.push(`${file.where}: ${text} (at ${line})`);
  }
  return problems;
}
