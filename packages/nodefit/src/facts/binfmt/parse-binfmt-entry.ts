// Parses one /proc/sys/fs/binfmt_misc/<name> file and the status file, in the format fs/binfmt_misc.c entry_status() writes.
import type { BinfmtEntry } from './schema.ts';

/**
 * entry_status() (fs/binfmt_misc.c, mainline since the F flag in 4.8) writes:
 *   "enabled"|"disabled" \n "interpreter <path>" \n "flags: <P><O><C><F>" \n
 *   then "extension .<ext>" \n  or  "offset <n>" \n "magic <hex>" [\n "mask <hex>"] \n
 * Kernels before 2.6.x had no flags line; it is then read as no flags.
 */
export type BinfmtEntryResult = { readonly ok: true; readonly entry: BinfmtEntry } | { readonly ok: false; readonly reason: string };

const HEX = /^(?:[0-9a-f]{2})+$/;
/** Mainline prints P, O, C, F; other capital letters are kept so a newer kernel's flag does not void the entry. */
const FLAGS = /^[A-Z]*$/;

export function parseBinfmtEntry(name: string, text: string): BinfmtEntryResult {
  const bad = (why: string): BinfmtEntryResult => ({ ok: false, reason: `binfmt_misc entry ${JSON.stringify(name)}: ${why}` });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  const next = (): string | undefined => lines[i++];
  const status = next();
  if (status !== 'enabled' && status !== 'disabled') return bad(`first line is ${JSON.stringify(status ?? '')}, not enabled/disabled`);
  const interp = next();
  if (interp === undefined || !interp.startsWith('interpreter ') || interp.length === 'interpreter '.length) {
    return bad('no interpreter line');
  }
  const interpreter = interp.slice('interpreter '.length);
  let flags = '';
  if (lines[i]?.startsWith('flags: ') === true) {
    flags = (next() as string).slice('flags: '.length);
    if (!FLAGS.test(flags)) return bad(`unknown flags ${JSON.stringify(flags)}`);
  }
  const kind = next();
  if (kind === undefined) return bad('neither an extension nor a magic');
  const base = { name, enabled: status === 'enabled', interpreter, flags };
  if (kind.startsWith('extension .')) {
    const extension = kind.slice('extension .'.length);
    if (extension === '' || extension.includes('/')) return bad(`invalid extension ${JSON.stringify(extension)}`);
    if (i !== lines.length) return bad('unexpected lines after the extension');
    return { ok: true, entry: { ...base, type: 'extension', offset: 0, extension } };
  }
  const off = /^offset (\d{1,9})$/.exec(kind);
  if (off === null) return bad(`expected "offset <n>" or "extension .<ext>", got ${JSON.stringify(kind.slice(0, 60))}`);
  const magicLine = next();
  if (magicLine === undefined || !magicLine.startsWith('magic ')) return bad('no magic line');
  const magic = magicLine.slice('magic '.length);
  if (!HEX.test(magic)) return bad('magic is not hex bytes');
  let mask: string | undefined;
  if (i < lines.length) {
    const m = next() as string;
    if (!m.startsWith('mask ')) return bad(`unexpected line ${JSON.stringify(m.slice(0, 60))}`);
    mask = m.slice('mask '.length);
    if (!HEX.test(mask) || mask.length !== magic.length) return bad('mask is not hex bytes of the magic\'s length');
  }
  if (i !== lines.length) return bad('unexpected lines after the mask');
  const entry: BinfmtEntry = { ...base, type: 'magic', offset: Number(off[1]), magic };
  if (mask !== undefined) entry.mask = mask;
  return { ok: true, entry };
}

/** The status file holds "enabled" or "disabled" (bm_status_read). */
export function parseBinfmtStatus(text: string): boolean | undefined {
  const t = text.trim();
  if (t === 'enabled') return true;
  if (t === 'disabled') return false;
  return undefined;
}
