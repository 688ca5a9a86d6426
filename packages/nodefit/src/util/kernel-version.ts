// Kernel releases as distributions spell them ("5.14.0-503.15.1.el9_5", "6.12.117+deb12-amd64"): semver gets these
// wrong (it treats "-…" as a pre-release and rejects four-part numbers), so we parse and order them ourselves.

export interface KernelVersion {
  /** The release as given (trimmed). */
  readonly raw: string;
  readonly major: number;
  readonly minor: number;
  /** 0 when the release has only "x.y" (mainline "6.7" tags, "6.8.0-31-generic" style ABI names still parse 0). */
  readonly patch: number;
  /** Everything after x.y[.z] with its leading separator, e.g. "-503.15.1.el9_5", "+deb12-amd64", "" for mainline. */
  readonly suffix: string;
}

const HEAD = /^(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?/;

/** Parses a kernel release; undefined when it does not start with "major.minor". */
export function parseKernelVersion(release: string): KernelVersion | undefined {
  const raw = release.trim();
  const m = HEAD.exec(raw);
  if (m === null) return undefined;
  return {
    raw,
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    // uname spells mainline release candidates "6.8.0-rc1": they come before 6.8.0, as "~" sorts in rpm/dpkg.
    suffix: raw.slice(m[0].length).replace(/^-rc(?=\d)/, '~rc'),
  };
}

/**
 * rpmvercmp-style comparison of two version fragments: split into maximal runs of digits or letters (everything
 * else separates), compare runs pairwise (numbers numerically, letters by code point; a number beats letters),
 * and "~" sorts before anything, even the end of the string, as in rpm and dpkg ("6.12.0~rc1" < "6.12.0").
 * Unlike rpm, whole-string ties on differently-separated inputs are broken by plain string order so the result is
 * a total order (rpm calls "1.0" and "1_0" equal).
 */
export function compareVersionFragments(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    // Skip separators (anything not alphanumeric and not "~").
    while (i < a.length && isSep(a[i]!)) i++;
    while (j < b.length && isSep(b[j]!)) j++;
    const ta = a[i] === '~';
    const tb = b[j] === '~';
    if (ta || tb) {
      if (!ta) return 1;
      if (!tb) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]!);
    if (numeric !== isDigit(b[j]!)) return numeric ? 1 : -1;
    const ra = run(a, i, numeric);
    const rb = run(b, j, numeric);
    i += ra.length;
    j += rb.length;
    const c = numeric ? compareDigits(ra, rb) : compareStrings(ra, rb);
    if (c !== 0) return c;
  }
  const aDone = i >= a.length;
  const bDone = j >= b.length;
  if (aDone && !bDone) return -1;
  if (bDone && !aDone) return 1;
  return compareStrings(a, b);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isSep(c: string): boolean {
  return !isDigit(c) && !isAlpha(c) && c !== '~';
}

function run(s: string, from: number, digits: boolean): string {
  let k = from;
  while (k < s.length && (digits ? isDigit(s[k]!) : isAlpha(s[k]!))) k++;
  return s.slice(from, k);
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders parsed releases: numeric x.y.z first, then the vendor suffix rpmvercmp-style. */
export function compareParsed(a: KernelVersion, b: KernelVersion): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  const c = compareVersionFragments(a.suffix, b.suffix);
  if (c !== 0) return c;
  return compareStrings(a.raw, b.raw);
}

/**
 * Total order over release strings; releases that do not parse sort before all that do, among themselves by string.
 */
export function compareKernelReleases(a: string, b: string): number {
  const pa = parseKernelVersion(a);
  const pb = parseKernelVersion(b);
  if (pa === undefined || pb === undefined) {
    if (pa !== undefined) return 1;
    if (pb !== undefined) return -1;
    return compareStrings(a.trim(), b.trim());
  }
  return compareParsed(pa, pb);
}

/**
 * Whether the numeric base x.y[.z] of `release` is at least `min` ("6.7", "6.1.107"). The suffix is ignored: a vendor
 * build of 6.1.107 counts as 6.1.107. Undefined when the release does not parse.
 */
export function atLeast(release: string, min: string): boolean | undefined {
  const r = parseKernelVersion(release);
  const m = parseKernelVersion(min);
  if (r === undefined || m === undefined) return undefined;
  return compareTriple(r, m) >= 0;
}

/** Numeric-only comparison of x.y.z. */
export function compareTriple(a: Pick<KernelVersion, 'major' | 'minor' | 'patch'>, b: Pick<KernelVersion, 'major' | 'minor' | 'patch'>): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return 0;
}

/** "6.1" for 6.1.107-…: the stable series a release belongs to. */
export function seriesOf(release: string): string | undefined {
  const r = parseKernelVersion(release);
  return r === undefined ? undefined : `${r.major}.${r.minor}`;
}

/** Whether `release` is in the stable series `series` ("6.1") — i.e. same major.minor. */
export function inStableSeries(release: string, series: string): boolean {
  return seriesOf(release) === seriesOf(series) && seriesOf(series) !== undefined;
}

/**
 * Where a change landed: mainline release plus the first release in each stable series that got the backport.
 * `stable` keys are series ("6.1"), values the first fixed release ("6.1.107").
 */
export interface ChangeLanding {
  readonly mainline: string;
  readonly stable: Readonly<Record<string, string>>;
}

export type LandingVerdict =
  | { readonly has: true; readonly why: string }
  | { readonly has: false; readonly why: string }
  | { readonly has: 'unknown'; readonly why: string };

/**
 * Whether a kernel with upstream base version `base` (x.y.z; vendor suffix ignored) contains a change: mainline
 * from `mainline` on, or a stable series at/after its backport. A series older than mainline with no recorded
 * backport is reported as not containing it only when the series is listed as checked-and-absent by the caller
 * (pass the series in `notBackported`); otherwise the answer is unknown.
 */
export function hasChange(base: string, landing: ChangeLanding, notBackported: readonly string[] = []): LandingVerdict {
  const r = parseKernelVersion(base);
  if (r === undefined) return { has: 'unknown', why: `cannot parse kernel release "${base}"` };
  const series = `${r.major}.${r.minor}`;
  if (atLeast(base, landing.mainline) === true) {
    return { has: true, why: `${baseString(r)} is at or after mainline ${landing.mainline}` };
  }
  const first = landing.stable[series];
  if (first !== undefined) {
    return atLeast(base, first) === true
      ? { has: true, why: `${baseString(r)} is at or after ${first}, the first ${series}.y release with the backport` }
      : { has: false, why: `${baseString(r)} is before ${first}, the first ${series}.y release with the backport` };
  }
  if (notBackported.includes(series)) {
    return { has: false, why: `${series}.y never received the backport (mainline ${landing.mainline})` };
  }
  return { has: 'unknown', why: `no backport of this ${landing.mainline} change is recorded for ${series}.y` };
}

function baseString(r: KernelVersion): string {
  return `${r.major}.${r.minor}.${r.patch}`;
}
