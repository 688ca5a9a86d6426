// Turns needed fix actions into the files an operator installs: Bottlerocket TOML, modules-load.d, binfmt.d, kernel cmdline.
import type { Report } from '../engine/report.ts';
import type { FixAction } from '../engine/fix-action.ts';
import type { OsFamily } from '../facts/os/schema.ts';
import { osFamilyOfReport } from '../render/common.ts';
import { binfmtDLineError } from './binfmt-register.ts';
import { isSysctlKey } from '../facts/netfilter/sysctl-key.ts';
import { type NeededAction, isCmdlineArg, isModuleName, isSysctlValue, neededActions, undecidedActions, unfixedFindings } from './collect-actions.ts';
import { type FixFormat, formatsWriting } from './formats.ts';

/** An action the profile data made invalid: reported, never written into the artifact. */
export class FixDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixDataError';
  }
}

function commentSafe(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function header(report: Report, what: string, comment: string, workloads: readonly string[]): string[] {
  const target = report.target.description || report.target.kind;
  const lines = [
    `${comment} ${what}, written by nodefit ${report.tool.version} for ${commentSafe(target)} (kernel ${commentSafe(report.target.kernelRelease ?? 'unknown')}).`,
  ];
  lines.push(`${comment} Workloads: ${workloads.length === 0 ? 'none' : workloads.map(commentSafe).join(', ')}.`);
  return lines;
}

function of<K extends FixAction['kind']>(needed: readonly NeededAction[], kind: K): (NeededAction & { action: Extract<FixAction, { kind: K }> })[] {
  return needed.filter((n): n is NeededAction & { action: Extract<FixAction, { kind: K }> } => n.action.kind === kind);
}

function describe(a: FixAction): string {
  switch (a.kind) {
    case 'load-module':
      return `load module ${a.module}`;
    case 'kernel-cmdline':
      return `kernel argument ${a.arg}`;
    case 'binfmt-register':
      return `binfmt_misc handler ${a.name}`;
    case 'binfmt-mount':
      return 'mount binfmt_misc at boot';
    case 'sysctl':
      return `sysctl ${a.key}=${a.value}`;
  }
}

/** Where an action this file cannot hold is written instead for this OS, e.g. "--format modules-load". */
function whereWritten(kind: FixAction['kind'], family: OsFamily): string {
  const formats = formatsWriting(kind, family);
  return formats.length === 0 ? 'no nodefit format writes it' : `--format ${formats.join(' or ')}`;
}

/** Actions this format cannot express, listed as comments so nothing the host needs is silently dropped. */
function elsewhere(needed: readonly NeededAction[], handled: readonly FixAction['kind'][], comment: string, family: OsFamily): string[] {
  const rest = needed.filter((n) => !handled.includes(n.action.kind));
  if (rest.length === 0) return [];
  return [
    `${comment} Also needed, not expressible in this file:`,
    ...rest.map((n) => `${comment}   ${commentSafe(describe(n.action))} (for ${n.neededBy.join(', ')}): ${whereWritten(n.action.kind, family)}`),
  ];
}

function checkModules(needed: readonly NeededAction[]): void {
  for (const n of of(needed, 'load-module')) if (!isModuleName(n.action.module)) throw new FixDataError(`invalid module name ${JSON.stringify(n.action.module)}`);
}

/** Both formats that write sysctls refuse the same keys and values. */
function checkSysctls(needed: readonly NeededAction[]): void {
  for (const n of of(needed, 'sysctl')) {
    if (!isSysctlKey(n.action.key)) throw new FixDataError(`invalid sysctl key ${JSON.stringify(n.action.key)}`);
    if (!isSysctlValue(n.action.value)) throw new FixDataError(`invalid value ${JSON.stringify(n.action.value)} for sysctl ${n.action.key}`);
  }
}

/** TOML basic string: JSON's escaping is a subset TOML accepts for the well-formed Unicode we allow. */
function tomlString(s: string): string {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) throw new FixDataError(`not well-formed Unicode: ${JSON.stringify(s)}`);
  return JSON.stringify(s);
}

function tomlKey(s: string): string {
  return /^[A-Za-z0-9_-]+$/.test(s) ? s : tomlString(s);
}

/**
 * Bottlerocket settings (bottlerocket.dev, API settings reference): settings.kernel.modules.<name>.allowed/autoload,
 * settings.kernel.sysctl."<key>" = "<value>", settings.boot.kernel-parameters."<key>" = ["<value>", ...] (a flag
 * without a value is an empty list). Apply with `apiclient apply` or put it in user data.
 */
export function bottlerocketToml(report: Report, needed: readonly NeededAction[], workloads: readonly string[]): string {
  checkModules(needed);
  checkSysctls(needed);
  const out = header(report, 'Bottlerocket settings', '#', workloads);
  out.push('# Apply with `apiclient apply < this-file` on the host, or merge into the instance user data.');
  for (const n of of(needed, 'load-module')) {
    out.push('', `# for ${n.neededBy.join(', ')}`, `[settings.kernel.modules.${tomlKey(n.action.module)}]`, 'allowed = true', 'autoload = true');
  }
  const sysctls = of(needed, 'sysctl');
  if (sysctls.length > 0) {
    out.push('', '[settings.kernel.sysctl]');
    for (const n of sysctls) out.push(`${tomlString(n.action.key)} = ${tomlString(n.action.value)}  # for ${n.neededBy.join(', ')}`);
  }
  const args = of(needed, 'kernel-cmdline');
  if (args.length > 0) {
    const params = new Map<string, string[]>();
    for (const n of args) {
      if (!isCmdlineArg(n.action.arg)) throw new FixDataError(`invalid kernel argument ${JSON.stringify(n.action.arg)}`);
      const eq = n.action.arg.indexOf('=');
      const key = eq < 0 ? n.action.arg : n.action.arg.slice(0, eq);
      const values = params.get(key) ?? [];
      if (eq >= 0) values.push(n.action.arg.slice(eq + 1));
      params.set(key, values);
    }
    out.push('', '# Kernel parameters take effect after a reboot; reboot-to-reconcile reboots once when they change.');
    out.push('[settings.boot]', 'reboot-to-reconcile = true', '', '[settings.boot.kernel-parameters]');
    for (const [k, vs] of params) out.push(`${tomlString(k)} = [${vs.map(tomlString).join(', ')}]`);
  }
  if (of(needed, 'binfmt-register').length > 0 || of(needed, 'binfmt-mount').length > 0) {
    out.push('', '# Bottlerocket has no binfmt.d: register binfmt_misc handlers from a bootstrap container or a privileged');
    out.push('# DaemonSet that mounts binfmt_misc on the host first, so registrations outlive the container.');
  }
  out.push(...elsewhere(needed, ['load-module', 'sysctl', 'kernel-cmdline', 'binfmt-register', 'binfmt-mount'], '#', osFamilyOfReport(report)));
  return out.join('\n') + '\n';
}

/** modules-load.d(5): one module name per line, "#" and ";" comments; systemd-modules-load loads them at boot. */
export function modulesLoadD(report: Report, needed: readonly NeededAction[], workloads: readonly string[]): string {
  checkModules(needed);
  const out = header(report, 'modules-load.d file', '#', workloads);
  out.push('# Install as /etc/modules-load.d/nodefit.conf; systemd-modules-load.service loads these at boot.');
  for (const n of of(needed, 'load-module')) out.push(`# for ${n.neededBy.join(', ')}`, n.action.module);
  out.push(...elsewhere(needed, ['load-module'], '#', osFamilyOfReport(report)));
  return out.join('\n') + '\n';
}

/** binfmt.d(5): one register string per line; systemd-binfmt.service writes them to binfmt_misc at boot. */
export function binfmtD(report: Report, needed: readonly NeededAction[], workloads: readonly string[]): string {
  const out = header(report, 'binfmt.d file', '#', workloads);
  out.push('# Install as /etc/binfmt.d/nodefit.conf; systemd-binfmt.service registers these at boot.');
  if (of(needed, 'binfmt-mount').length > 0) {
    out.push(
      '# binfmt_misc must stay mounted on the host: systemd mounts it (proc-sys-fs-binfmt_misc.automount); without',
      '# systemd add "binfmt_misc /proc/sys/fs/binfmt_misc binfmt_misc defaults 0 0" to /etc/fstab.',
    );
  }
  for (const n of of(needed, 'binfmt-register')) {
    const err = binfmtDLineError(n.action.register);
    if (err !== null) throw new FixDataError(`binfmt handler ${JSON.stringify(n.action.name)}: ${err}`);
    out.push(`# ${commentSafe(n.action.name)} for ${n.neededBy.join(', ')}`, n.action.register.replace(/\n$/, ''));
  }
  out.push(...elsewhere(needed, ['binfmt-register', 'binfmt-mount'], '#', osFamilyOfReport(report)));
  return out.join('\n') + '\n';
}

/**
 * sysctl.d(5): "key = value" lines, "#" and ";" comments. systemd-sysctl.service applies them at boot, ordered after
 * systemd-modules-load.service, so a net.bridge.* key finds br_netfilter loaded when modules-load.d lists it.
 */
export function sysctlD(report: Report, needed: readonly NeededAction[], workloads: readonly string[]): string {
  checkSysctls(needed);
  const sysctls = of(needed, 'sysctl');
  const out = header(report, 'sysctl.d file', '#', workloads);
  const family = osFamilyOfReport(report);
  if (family === 'bottlerocket') out.push('# Bottlerocket reads no sysctl.d: set these as settings.kernel.sysctl (nodefit fix --format bottlerocket).');
  else if (family === 'talos') out.push('# Talos reads no sysctl.d: set these under machine.sysctls in the machine config.');
  else out.push('# Install as /etc/sysctl.d/90-nodefit.conf; systemd-sysctl.service applies it at boot, `sysctl --system` now.');
  if (sysctls.some((n) => n.action.key.startsWith('net.bridge.'))) {
    out.push('# net.bridge.* keys exist only while br_netfilter is loaded: list it in modules-load.d (--format modules-load).');
  }
  for (const n of sysctls) out.push(`# for ${n.neededBy.join(', ')}`, `${n.action.key} = ${n.action.value}`);
  out.push(...elsewhere(needed, ['sysctl'], '#', family));
  return out.join('\n') + '\n';
}

const CMDLINE_HOWTO: Readonly<Record<string, readonly string[]>> = {
  grub: [
    'GRUB (Debian, Ubuntu): append to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub, reboot.',
    'GRUB (RHEL family, Amazon Linux, SUSE): grubby --update-kernel=ALL --args="<args>", reboot.',
  ],
  bottlerocket: ['Bottlerocket: settings.boot.kernel-parameters (nodefit fix --format bottlerocket writes them), reboot.'],
  talos: ['Talos: machine.install.extraKernelArgs in the machine config, then talosctl upgrade to apply.'],
  flatcar: ['Flatcar: set_linux_append "<args>" in /usr/share/oem/grub.cfg (or the oem partition grub.cfg), reboot.'],
};

/** The kernel command line: the arguments space-joined on one line, with how to apply them on the target's OS. */
export function cmdline(report: Report, needed: readonly NeededAction[], workloads: readonly string[]): string {
  const args = of(needed, 'kernel-cmdline').map((n) => {
    if (!isCmdlineArg(n.action.arg)) throw new FixDataError(`invalid kernel argument ${JSON.stringify(n.action.arg)}`);
    return n.action.arg;
  });
  const family = osFamilyOfReport(report);
  const how =
    family === 'bottlerocket' || family === 'talos' || family === 'flatcar'
      ? CMDLINE_HOWTO[family]!
      : family === 'other'
        ? [...CMDLINE_HOWTO.grub!, ...CMDLINE_HOWTO.bottlerocket!, ...CMDLINE_HOWTO.talos!, ...CMDLINE_HOWTO.flatcar!]
        : CMDLINE_HOWTO.grub!;
  const out = header(report, 'Kernel command-line arguments', '#', workloads);
  out.push(...how.map((h) => `# ${h}`));
  out.push(...elsewhere(needed, ['kernel-cmdline'], '#', osFamilyOfReport(report)));
  out.push(args.join(' '));
  return out.join('\n') + '\n';
}

/** Comment lines naming what undecided checks would ask for; the cmdline artifact keeps its arguments on the last line. */
function undecidedComments(report: Report): string[] {
  const undecided = undecidedActions(report);
  if (undecided.length === 0) return [];
  return [
    '# Undecided (nodefit could not tell from this target whether these are needed; not applied):',
    ...undecided.map((n) => `#   ${commentSafe(describe(n.action))} (for ${n.neededBy.join(', ')})`),
  ];
}

/** Comment lines naming the failing checks no configuration fixes, so a short file is not read as a healthy host. */
function unfixedComments(report: Report): string[] {
  const unfixed = unfixedFindings(report);
  if (unfixed.length === 0) return [];
  return [
    '# Not fixed by any configuration (a kernel built with the option, or another image; `nodefit check` says how):',
    ...unfixed.map((f) => `#   ${f.outcome}: ${commentSafe(f.message)} (${f.workload ?? 'host'})`),
  ];
}

function withTrailingComments(text: string, extra: readonly string[], argsLast: boolean): string {
  if (extra.length === 0) return text;
  const lines = text.replace(/\n$/, '').split('\n');
  if (argsLast) lines.splice(lines.length - 1, 0, ...extra);
  else lines.push(...extra);
  return lines.join('\n') + '\n';
}

export function renderFix(report: Report, format: FixFormat, workloads: readonly string[]): string {
  const needed = neededActions(report);
  const extra = [...unfixedComments(report), ...undecidedComments(report)];
  switch (format) {
    case 'bottlerocket':
      return withTrailingComments(bottlerocketToml(report, needed, workloads), extra, false);
    case 'modules-load':
      return withTrailingComments(modulesLoadD(report, needed, workloads), extra, false);
    case 'binfmt':
      return withTrailingComments(binfmtD(report, needed, workloads), extra, false);
    case 'cmdline':
      return withTrailingComments(cmdline(report, needed, workloads), extra, true);
    case 'sysctl':
      return withTrailingComments(sysctlD(report, needed, workloads), extra, false);
  }
}
