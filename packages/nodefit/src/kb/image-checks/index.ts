// Host × image cross-checks (issue #4): the engine runs these when an image is given (`check --image`, `image --host`).
// Ids (public): image-modprobe-compression, image-iptables-backend, image-architecture.
import type { Check } from '../check.ts';
import { imageArchitectureCheck } from './image-architecture.ts';
import { imageIptablesBackendCheck } from './image-iptables-backend.ts';
import { imageModprobeCompressionCheck } from './image-modprobe-compression.ts';

export const IMAGE_CHECKS: readonly Check[] = [imageModprobeCompressionCheck, imageIptablesBackendCheck, imageArchitectureCheck];
