// Real snapshots for server tests: this machine scanned once, then renamed per simulated node.
import { encodeSnapshot, loadTarget, type Snapshot } from 'nodefit';

let base: Snapshot | undefined;

export async function liveSnapshot(): Promise<Snapshot> {
  base ??= await loadTarget({ base: { kind: 'live' } });
  return base;
}

export async function snapshotFor(node: string): Promise<Snapshot> {
  const s = await liveSnapshot();
  return { ...s, target: { ...s.target, hostname: node } };
}

/** The JSON an agent sends: the snapshot in its wire form. */
export function wire(s: Snapshot): string {
  return JSON.stringify(encodeSnapshot(s));
}
