// Host × image cross-checks (issue #4); the engine evaluates these when an image is given. Empty until that lands.
export const IMAGE_CHECKS: readonly unknown[] = [];
