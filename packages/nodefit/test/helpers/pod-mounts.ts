// Real mount-table lines of the kind each pod adds to a Kubernetes node's: written by this machine's kernel for mounts
// made inside a private mount namespace (unshare), on a tmpfs of its own, so the host's mounts never change.
import { spawnSync } from 'node:child_process';

/**
 * Per pod, what kubelet and containerd mount in the host's namespace: the projected service-account volume (tmpfs),
 * the container's overlay rootfs, the CNI network namespace (an nsfs bind mount) and the sandbox's /dev/shm.
 */
function podScript(base: string, pods: number): string {
  const lines = [`set -e`, `mount -t tmpfs tmpfs '${base}'`, `cat /proc/self/mountinfo > '${base}/before'`];
  for (let i = 0; i < pods; i++) {
    const uid = `0f3c2a6e-${String(1000 + i)}-4c1e-9a43-5a3f7d2b9c01`;
    const vol = `${base}/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~projected/kube-api-access-x7k2p`;
    const task = `${base}/run/containerd/io.containerd.runtime.v2.task/k8s.io/c${i}`;
    const netns = `${base}/run/netns/cni-5c1e0b6a-2b7d-7f40-3c1a-${String(i).padStart(12, '0')}`;
    const shm = `${base}/run/containerd/io.containerd.grpc.v1.cri/sandboxes/s${i}/shm`;
    lines.push(
      `mkdir -p '${vol}' '${task}/rootfs' '${task}/l' '${task}/u' '${task}/w' '${base}/run/netns' '${shm}'`,
      `mount -t tmpfs -o size=1024k tmpfs '${vol}'`,
      `mount -t overlay overlay -o 'lowerdir=${task}/l,upperdir=${task}/u,workdir=${task}/w' '${task}/rootfs'`,
      `touch '${netns}'`,
      `mount --bind /proc/self/ns/net '${netns}'`,
      `mount -t tmpfs -o size=65536k shm '${shm}'`,
    );
  }
  // only the lines the pods added (the namespace's copy of the host's mounts has its own mount ids)
  lines.push(`grep -vxF -f '${base}/before' /proc/self/mountinfo`);
  return lines.join('\n');
}

/**
 * The lines `pods` pods add to a mount table, or the reason they could not be made (not root, no unshare). `base`
 * is an empty directory: only a tmpfs is mounted on it, in the namespace, so it stays empty on the host.
 */
export function podMountLines(base: string, pods: number): { ok: true; lines: string[] } | { ok: false; reason: string } {
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', podScript(base, pods)], { encoding: 'utf8', timeout: 60_000 });
  if (r.error !== undefined) return { ok: false, reason: `unshare: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `unshare --mount: exit ${r.status}: ${r.stderr.trim()}` };
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return lines.length >= 4 * pods ? { ok: true, lines } : { ok: false, reason: `only ${lines.length} mount lines for ${pods} pods` };
}
