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

/** Wire bodies for many nodes without holding them all: the template is split once at the node name. */
export async function bodyFactory(): Promise<(node: string) => string> {
  const parts = wire(await snapshotFor('__NODEFIT_NODE__')).split('"__NODEFIT_NODE__"');
  return (node) => parts.join(JSON.stringify(node));
}
