// Loads --kb directories; yaml and zod are imported here lazily so the built-in path never pays for them.
import type { WorkloadProfile } from './profile-types.ts';

export async function loadUserProfiles(dirs: readonly string[]): Promise<WorkloadProfile[]> {
  if (dirs.length === 0) return [];
  const { readProfileDir } = await import('./load-profile-file.ts');
  return dirs.flatMap((d) => readProfileDir(d));
}
