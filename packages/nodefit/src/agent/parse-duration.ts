// Durations for --interval as people write them: "90s", "10m", "1h30m".
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (const m of text.trim().matchAll(re)) {
    const n = Number(m[1]);
    const unit = m[2];
    total += unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
    matched += m[0].length;
  }
  return matched > 0 && matched === text.trim().length && total > 0 ? total : undefined;
}
