// The plain line-by-line reading of Kconfig output (split on newlines, one decision per line): the reference the tests
// hold parseKernelConfig's index-walking loop to.

const SYMBOL = /^[A-Za-z0-9_]+$/;

export interface ReferenceConfig {
  options: Map<string, string>;
  malformedLines: number;
  headerVersion?: string;
}

export function kernelConfigByLines(text: string): ReferenceConfig {
  const out: ReferenceConfig = { options: new Map(), malformedLines: 0 };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const set = /^CONFIG_([^=]*)=(.*)$/s.exec(line);
    const notSet = /^# CONFIG_([^ ]*) is not set/.exec(line);
    const header = /^# Linux\/\S* (\S+) Kernel Configuration$/.exec(line);
    if (line.startsWith('CONFIG_')) {
      if (set !== null && SYMBOL.test(set[1]!)) {
        out.options.set(set[1]!, set[2]!);
      } else out.malformedLines++;
    } else if (line.startsWith('#')) {
      if (notSet !== null && SYMBOL.test(notSet[1]!)) {
        out.options.set(notSet[1]!, 'n');
      } else if (header !== null && out.headerVersion === undefined && line.split(' ').length === 5) out.headerVersion = header[1]!;
    } else if (line.trim() !== '') out.malformedLines++;
  }
  return out;
}
