// STUB (owned by image inspection, issue #4): facts about an image's host-facing tools.
export interface ImageFacts {
  /** What was inspected, e.g. "oci:./cilium-layout" or "docker-archive:./kube-router.tar". */
  readonly reference: string;
}
