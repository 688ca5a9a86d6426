// A node-feature-discovery features.d file: per-workload verdicts and capabilities as node labels a scheduler can select on.
import type { Report } from '../engine/report.ts';
import { groupByWorkload, worstOutcome } from './common.ts';

/**
 * NFD's local source (docs/usage/customization-guide.md "Local feature source"; source/local/local.go) reads
 * `<namespace>/<name>[=<value>]` lines from /etc/kubernetes/node-feature-discovery/features.d/, `#` starts a comment,
 * files over 64 KiB are ignored. Labels are Kubernetes labels (pkg/apis/nfd/validate): the name part is at most 63
 * characters of [A-Za-z0-9._-] starting and ending alphanumeric, the value the same or empty, the prefix a DNS
 * subdomain of at most 253 characters. A prefix outside feature.node.kubernetes.io must be allowed on nfd-master with
 * -extra-label-ns.
 */
export const NFD_PREFIX = 'nodefit.dev';
export const NFD_MAX_FILE_BYTES = 64 * 1024;

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PREFIX_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isValidLabelName(name: string): boolean {
  return name.length <= 63 && NAME_RE.test(name);
}

export function isValidLabelValue(value: string): boolean {
  return value === '' || isValidLabelName(value);
}

export function isValidLabelPrefix(prefix: string): boolean {
  return prefix.length <= 253 && PREFIX_RE.test(prefix);
}

/** Maps any text onto the label alphabet: other characters become "-", ends are trimmed to alphanumerics, 63 at most. */
export function toLabelPart(s: string): string {
  let v = s.replace(/[^-A-Za-z0-9_.]/g, '-');
  if (v.length > 63) v = v.slice(0, 63);
  return v.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function renderNfd(report: Report): string {
  const labels = new Map<string, string>();
  const add = (name: string, value: string): void => {
    const n = toLabelPart(name);
    const v = toLabelPart(value);
    // a name the mapping cannot rescue (empty) or one already taken is left out rather than written invalid
    if (n === '' || !isValidLabelName(n) || !isValidLabelValue(v) || labels.has(n)) return;
    labels.set(n, v);
  };

  add('verdict', worstOutcome(report.findings));
  for (const g of groupByWorkload(report.findings)) add(g.workload === null ? 'host' : `workload.${g.workload}`, g.verdict);
  for (const [name, cap] of Object.entries(report.target.capabilities)) {
    const v = cap.value;
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') add(`cap.${kebab(name)}`, String(v));
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      // lists (cgroup controllers) become one flag per item: label values cannot hold a list
      for (const item of v) add(`${kebab(name)}.${item}`, 'true');
    }
  }
  if (report.target.kernelRelease !== null) add('kernel-release', report.target.kernelRelease);

  const lines = [
    `# nodefit ${report.tool.version}: workload verdicts (fail, warn, unknown, pass, not-applicable) and capabilities.`,
    `# nfd-master needs -extra-label-ns=${NFD_PREFIX} to publish these labels.`,
  ];
  for (const [n, v] of labels) lines.push(`${NFD_PREFIX}/${n}=${v}`);
  let out = lines.join('\n') + '\n';
  // NFD ignores the whole file past 64 KiB; dropping trailing labels keeps the verdicts, which come first
  while (Buffer.byteLength(out) > NFD_MAX_FILE_BYTES) out = out.slice(0, out.lastIndexOf('\n', out.length - 2) + 1);
  return out;
}
