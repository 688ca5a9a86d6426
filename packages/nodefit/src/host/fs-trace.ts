// A record of every answer a HostFs gave, and a check that it still gives the same ones: collectors read a host only
// through HostFs, so a host that answers every call of a run the same way yields the same facts (cli/run-memo.ts).
import { HostFsError, type HostFs, type HostFsErrorCode } from './host-fs.ts';

export type TracedMethod = 'readFile' | 'stat' | 'lstat' | 'readlink' | 'readdir' | 'realpath' | 'walkModuleDir';

/** What one call gave back: file bytes, any other value (as JSON; null stands for undefined), or a HostFsError. */
export type TracedResult =
  | { readonly kind: 'bytes'; readonly data: Buffer }
  | { readonly kind: 'value'; readonly json: string }
  | { readonly kind: 'error'; readonly code: HostFsErrorCode; readonly message: string };

export interface TracedCall {
  readonly method: TracedMethod;
  readonly path: string;
  /** readFile's limit: the same file under another limit can give another answer (ETOOBIG). */
  readonly maxBytes: number | undefined;
  readonly result: TracedResult;
  /** For bytes read from a path with a projection (retrace), that projection of them, when it was kept with them. */
  readonly projected?: string;
}

function invoke(fs: HostFs, method: TracedMethod, path: string, maxBytes: number | undefined): unknown {
  switch (method) {
    case 'readFile':
      return fs.readFile(path, maxBytes);
    case 'stat':
      return fs.stat(path);
    case 'lstat':
      return fs.lstat(path);
    case 'readlink':
      return fs.readlink(path);
    case 'readdir':
      return fs.readdir(path);
    case 'realpath':
      return fs.realpath(path);
    case 'walkModuleDir':
      if (fs.walkModuleDir === undefined) throw new Error('walkModuleDir traced on a HostFs without it');
      return fs.walkModuleDir(path);
  }
}

function valueResult(value: unknown): TracedResult {
  return Buffer.isBuffer(value) ? { kind: 'bytes', data: value } : { kind: 'value', json: JSON.stringify(value ?? null) };
}

function sameResult(a: TracedResult, b: TracedResult): boolean {
  switch (a.kind) {
    case 'bytes':
      return b.kind === 'bytes' && a.data.equals(b.data);
    case 'value':
      return b.kind === 'value' && a.json === b.json;
    case 'error':
      return b.kind === 'error' && a.code === b.code && a.message === b.message;
  }
}

/** One call made again: its result, or undefined when it failed in a way a HostFs does not promise (not replayable). */
function callAgain(fs: HostFs, call: Omit<TracedCall, 'result'>): TracedResult | undefined {
  try {
    return valueResult(invoke(fs, call.method, call.path, call.maxBytes));
  } catch (e) {
    if (e instanceof HostFsError) return { kind: 'error', code: e.code, message: e.message };
    return undefined;
  }
}

/**
 * A HostFs that answers through another and records each call with its answer. Anything other than a HostFsError
 * thrown from below marks the trace unusable: such a failure is not an answer a second run can compare.
 */
export class TracingFs implements HostFs {
  readonly kind: HostFs['kind'];
  readonly label: string;
  readonly calls: TracedCall[] = [];
  /** Set when a call failed with something other than a HostFsError, or the answers outgrew maxBytes. */
  unusable = false;
  readonly walkModuleDir?: (dir: string) => string[];

  private recordedBytes = 0;

  /** `maxBytes`: past this many bytes of answers the trace is given up (unusable), so memory stays bounded. */
  constructor(
    private readonly inner: HostFs,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.kind = inner.kind;
    this.label = inner.label;
    if (inner.walkModuleDir !== undefined) this.walkModuleDir = (dir) => this.record('walkModuleDir', dir, undefined) as string[];
  }

  private record(method: TracedMethod, path: string, maxBytes: number | undefined): unknown {
    let value: unknown;
    try {
      value = invoke(this.inner, method, path, maxBytes);
    } catch (e) {
      if (e instanceof HostFsError) this.keep({ method, path, maxBytes, result: { kind: 'error', code: e.code, message: e.message } });
      else {
        this.unusable = true;
        this.calls.length = 0;
      }
      throw e;
    }
    this.keep({ method, path, maxBytes, result: valueResult(value) });
    return value;
  }

  private keep(call: TracedCall): void {
    if (this.unusable) return;
    const r = call.result;
    this.recordedBytes += call.path.length + (r.kind === 'bytes' ? r.data.length : r.kind === 'value' ? r.json.length : r.message.length);
    if (this.recordedBytes > this.maxBytes) {
      this.unusable = true;
      this.calls.length = 0;
      return;
    }
    this.calls.push(call);
  }

  readFile(path: string, maxBytes?: number): Buffer {
    return this.record('readFile', path, maxBytes) as Buffer;
  }

  stat(path: string): ReturnType<HostFs['stat']> {
    return this.record('stat', path, undefined) as ReturnType<HostFs['stat']>;
  }

  lstat(path: string): ReturnType<HostFs['lstat']> {
    return this.record('lstat', path, undefined) as ReturnType<HostFs['lstat']>;
  }

  readlink(path: string): string | undefined {
    return this.record('readlink', path, undefined) as string | undefined;
  }

  readdir(path: string): string[] | undefined {
    return this.record('readdir', path, undefined) as string[] | undefined;
  }

  realpath(path: string): string {
    return this.record('realpath', path, undefined) as string;
  }

  display(path: string): string {
    return this.inner.display(path);
  }
}

/** Reduces a file's bytes to the part a run depends on (facts/churn.ts), by the path it was read as. */
export type Projections = ReadonlyMap<string, (data: Buffer) => string>;

/** How a traced run was answered again: not at all, every answer byte for byte, or some only by their projection. */
export type Retrace = { readonly same: false } | { readonly same: true; readonly projected: readonly string[] };

/**
 * Whether `fs` answers every recorded call, in order, as it did when recorded: byte for byte, or, for a file read
 * whose path has a projection, with the same projection (only the file contents are ever projected; a file that now
 * fails to read, or reads under another limit, is a different answer). Stops at the first difference: a run that got
 * another answer there may have gone on to make other calls.
 */
export function retrace(fs: HostFs, calls: readonly TracedCall[], projections: Projections = new Map()): Retrace {
  const projected: string[] = [];
  // a file read twice in a run (the mount table: cgroups, then binfmt) is projected once per content; the same bytes
  // read through another projection (two paths that hold the same text) are another question
  const seen = new Map<(data: Buffer) => string, Array<{ readonly data: Buffer; readonly projection: string }>>();
  const projectOnce = (project: (data: Buffer) => string, data: Buffer, known?: string): string => {
    let done = seen.get(project);
    if (done === undefined) seen.set(project, (done = []));
    const hit = done.find((s) => s.data.equals(data));
    if (hit !== undefined) return hit.projection;
    const projection = known ?? project(data);
    done.push({ data, projection });
    return projection;
  };
  for (const call of calls) {
    const now = callAgain(fs, call);
    if (now === undefined) return { same: false };
    if (sameResult(call.result, now)) continue;
    const project = call.method === 'readFile' ? projections.get(call.path) : undefined;
    if (project === undefined || call.result.kind !== 'bytes' || now.kind !== 'bytes') return { same: false };
    if (projectOnce(project, call.result.data, call.projected) !== projectOnce(project, now.data)) return { same: false };
    projected.push(call.path);
  }
  return { same: true, projected };
}

/** The calls with the projection of each answer that has one, kept beside it so a replay projects only the new bytes. */
export function withProjections(calls: readonly TracedCall[], projections: Projections): TracedCall[] {
  return calls.map((c) => {
    const project = c.method === 'readFile' && c.result.kind === 'bytes' ? projections.get(c.path) : undefined;
    return project === undefined || c.result.kind !== 'bytes' ? c : { ...c, projected: project(c.result.data) };
  });
}
