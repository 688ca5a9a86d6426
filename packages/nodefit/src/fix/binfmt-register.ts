// Validates binfmt_misc register strings by the kernel's own parsing rules, so `nodefit fix` never writes one it rejects.
/**
 * Rules from fs/binfmt_misc.c (create_entry, scanarg, check_special_flags; mainline, 6.x):
 * - the whole string is 11..1920 bytes (MAX_REGISTER_LENGTH); its first character is the delimiter;
 * - fields: name, type, offset, magic, mask, interpreter, flags (":name:type:offset:magic:mask:interpreter:flags");
 * - name: not empty, not "." or "..", no "/";
 * - type: "M" (magic) or "E" (extension), one character;
 * - M: offset empty or a non-negative decimal (kstrtoint); magic not empty; every "\x" in magic/mask is followed by
 *   two hex digits (scanarg); the mask, when given, decodes to as many bytes as the magic; offset + size within
 *   BINPRM_BUF_SIZE (256 since 5.1, 128 before: we hold to 128 so the line works on every kernel);
 * - E: the extension (magic field) not empty and without "/";
 * - interpreter: not empty; we also cap it at 127 characters, the limit of kernels whose BINPRM_BUF_SIZE was 128
 *   (the interpreter path was copied into a buffer of that size);
 * - flags: only P, O, C, F, then at most one trailing newline; nothing after.
 * A delimiter can appear inside magic/mask only as an escape: the kernel splits on it before it unescapes.
 * For binfmt.d files (binfmt.d(5)) the line must also not start with "#" or ";" (comments) nor with whitespace.
 */
export const MAX_REGISTER_LENGTH = 1920;
export const PORTABLE_BINPRM_BUF_SIZE = 128;
export const MAX_INTERPRETER_LENGTH = 127;

export interface BinfmtEntry {
  readonly name: string;
  readonly type: 'M' | 'E';
  readonly offset: number;
  /** Decoded bytes for M; the extension for E. */
  readonly magic: Uint8Array | string;
  readonly mask: Uint8Array | null;
  readonly interpreter: string;
  readonly flags: string;
}

export type BinfmtParse = { readonly ok: true; readonly entry: BinfmtEntry } | { readonly ok: false; readonly error: string };

const HEX = /^[0-9a-fA-F]$/;

/** Decodes a magic/mask field like string_unescape_inplace(UNESCAPE_HEX); null when a "\x" escape is malformed. */
function decodeHexField(field: string): Uint8Array | null {
  const bytes: number[] = [];
  const raw = Buffer.from(field, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x5c && raw[i + 1] === 0x78) {
      const h1 = String.fromCharCode(raw[i + 2] ?? 0);
      const h2 = String.fromCharCode(raw[i + 3] ?? 0);
      if (!HEX.test(h1) || !HEX.test(h2)) return null;
      bytes.push(parseInt(h1 + h2, 16));
      i += 3;
    } else bytes.push(c);
  }
  return Uint8Array.from(bytes);
}

export function parseBinfmtRegister(line: string): BinfmtParse {
  const fail = (error: string): BinfmtParse => ({ ok: false, error });
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes < 11) return fail(`too short (${bytes} bytes, the kernel needs at least 11)`);
  if (bytes > MAX_REGISTER_LENGTH) return fail(`too long (${bytes} bytes, the kernel takes at most ${MAX_REGISTER_LENGTH})`);
  if (line.includes('\0')) return fail('contains a NUL byte');
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (body.includes('\n')) return fail('contains a line break');
  const del = body[0]!;
  if (/[\\x0-9a-fA-F]/.test(del) || del.codePointAt(0)! > 0x7e || del.codePointAt(0)! < 0x21) {
    // the kernel would accept some of these, but a delimiter that can occur in escapes or digits makes fields ambiguous
    return fail(`delimiter ${JSON.stringify(del)} is not a printable punctuation character`);
  }
  const fields = body.slice(1).split(del);
  if (fields.length !== 7) return fail(`has ${fields.length} fields; a register string has 7 (name:type:offset:magic:mask:interpreter:flags)`);
  const [name, type, offsetText, magicText, maskText, interpreter, flags] = fields as [string, string, string, string, string, string, string];

  if (name === '' || name === '.' || name === '..' || name.includes('/')) return fail(`invalid name ${JSON.stringify(name)}`);
  if (type !== 'M' && type !== 'E') return fail(`type must be M or E, not ${JSON.stringify(type)}`);
  if (interpreter === '') return fail('empty interpreter');
  if (interpreter.length > MAX_INTERPRETER_LENGTH) return fail(`interpreter longer than ${MAX_INTERPRETER_LENGTH} characters`);
  if (!/^[POCF]*$/.test(flags)) return fail(`unknown flags ${JSON.stringify(flags)} (allowed: P, O, C, F)`);

  if (type === 'E') {
    if (magicText === '' || magicText.includes('/')) return fail(`invalid extension ${JSON.stringify(magicText)}`);
    return { ok: true, entry: { name, type, offset: 0, magic: magicText, mask: null, interpreter, flags } };
  }
  let offset = 0;
  if (offsetText !== '') {
    if (!/^\+?[0-9]+$/.test(offsetText)) return fail(`offset ${JSON.stringify(offsetText)} is not a non-negative decimal`);
    offset = Number(offsetText.replace('+', ''));
    if (offset > 0x7fffffff) return fail('offset out of range');
  }
  if (magicText === '') return fail('empty magic');
  const magic = decodeHexField(magicText);
  if (magic === null) return fail('magic has a "\\x" escape without two hex digits');
  let mask: Uint8Array | null = null;
  if (maskText !== '') {
    mask = decodeHexField(maskText);
    if (mask === null) return fail('mask has a "\\x" escape without two hex digits');
    if (mask.length !== magic.length) return fail(`mask is ${mask.length} bytes but magic is ${magic.length}`);
  }
  // the kernel's unescape stops at the first NUL: an escaped \x00 in the middle is fine, it is decoded already
  if (magic.length + offset > PORTABLE_BINPRM_BUF_SIZE) {
    return fail(`offset + magic size ${offset + magic.length} exceeds ${PORTABLE_BINPRM_BUF_SIZE} bytes`);
  }
  return { ok: true, entry: { name, type, offset, magic, mask, interpreter, flags } };
}

/** binfmt.d(5) reads one register string per line; "#" and ";" start comments and lines are whitespace-stripped. */
export function binfmtDLineError(line: string): string | null {
  const p = parseBinfmtRegister(line);
  if (!p.ok) return p.error;
  if (line.startsWith('#') || line.startsWith(';')) return 'a binfmt.d line starting with "#" or ";" is a comment: choose another delimiter';
  if (line.trim() !== line) return 'binfmt.d strips surrounding whitespace from lines';
  return null;
}
