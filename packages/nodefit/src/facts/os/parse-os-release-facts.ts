// Turns os-release fields into the OsRelease fact value (id, id_like, versions, family).
import { osFamilyOf } from './os-family.ts';
import { parseOsReleaseFields } from './parse-os-release.ts';
import type { OsRelease } from './schema.ts';

/** Undefined when the text has no ID: os-release(5) defaults ID to "linux", but a file without it is more likely damaged. */
export function parseOsRelease(text: string): OsRelease | undefined {
  const f = parseOsReleaseFields(text);
  const id = f.ID;
  if (id === undefined || id === '') return undefined;
  const idLike = (f.ID_LIKE ?? '').split(/\s+/).filter((s) => s !== '');
  const out: OsRelease = { id, idLike, family: osFamilyOf(id, idLike) };
  if (f.NAME !== undefined) out.name = f.NAME;
  if (f.PRETTY_NAME !== undefined) out.prettyName = f.PRETTY_NAME;
  if (f.VERSION_ID !== undefined) out.versionId = f.VERSION_ID;
  if (f.VARIANT_ID !== undefined) out.variantId = f.VARIANT_ID;
  if (f.BUILD_ID !== undefined) out.buildId = f.BUILD_ID;
  return out;
}
