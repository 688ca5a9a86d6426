// Image facts for host × image check tests: an image with nothing in it, to which each test adds the part it is about.
import type { ImageFacts } from '../../src/image/image-facts.ts';

export function imageFacts(m: Partial<ImageFacts>): ImageFacts {
  return {
    reference: 'oci:test',
    format: 'oci-layout',
    platform: { os: 'linux', architecture: 'amd64' },
    layers: 1,
    files: 1,
    osRelease: null,
    path: ['/usr/sbin'],
    modprobe: null,
    modprobeCandidates: [],
    busybox: null,
    iptables: null,
    nft: null,
    qemu: [],
    binaryArchitectures: {},
    warnings: [],
    ...m,
  };
}
