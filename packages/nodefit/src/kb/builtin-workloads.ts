// The built-in workload profiles, from JSON generated out of workloads/*.yaml (build-profiles.ts): no yaml or zod here.
import data from './generated/workloads.json' with { type: 'json' };
import type { WorkloadProfile } from './profile-types.ts';

export const BUILTIN_WORKLOADS: readonly WorkloadProfile[] = (data as unknown as WorkloadProfile[]).map((p) => ({ ...p, origin: 'builtin' }));
