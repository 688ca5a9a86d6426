// Reads a snapshot file back as a target, refusing foreign, damaged or schema-invalid JSON with one clear line.
import { readBounded } from '../host/root-fs.ts';
import { HostFsError } from '../host/host-fs.ts';
import { UserError } from '../cli/user-error.ts';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../facts/snapshot.ts';
import { WireSnapshot } from '../facts/snapshot-wire.ts';
import { decodeSnapshot } from '../facts/snapshot-codec.ts';

/** Snapshots of hosts with large module trees stay well below this. */
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

export function parseSnapshot(text: string, name: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${name}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== 'nodefit-snapshot') {
    throw new UserError(`${name}: not a nodefit snapshot (no "kind": "nodefit-snapshot"); write one with \`nodefit scan -o FILE\``);
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UserError(`${name}: snapshot schemaVersion ${JSON.stringify(version)} is not supported (this nodefit reads ${SNAPSHOT_SCHEMA_VERSION})`);
  }
  const parsed = WireSnapshot.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new UserError(`${name}: invalid snapshot at ${where || '(root)'}: ${issue?.message ?? 'schema mismatch'}`);
  }
  return decodeSnapshot(parsed.data);
}

export function readSnapshotFile(file: string): Snapshot {
  let data: Buffer;
  try {
    data = readBounded(file, file, MAX_SNAPSHOT_BYTES);
  } catch (e) {
    if (e instanceof HostFsError) throw new UserError(e.message);
    throw e;
  }
  return parseSnapshot(data.toString('utf8'), file);
}
