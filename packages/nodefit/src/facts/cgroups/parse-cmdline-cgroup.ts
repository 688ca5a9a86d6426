// Extracts the boot switches that decide which cgroup hierarchies exist from the kernel command line words.
// Sources: Documentation/admin-guide/kernel-parameters.txt (cgroup_no_v1=, cgroup_enable=, cgroup_disable=,
// cgroup_v1_proc=, the last added in 6.15 and backported: "lists only v1 controllers by default"),
// systemd's src/basic/cgroup-util.c / proc-cmdline (systemd.unified_cgroup_hierarchy, systemd.legacy_systemd_cgroup_controller).
import type { CgroupCmdline } from './schema.ts';

/** lib/kstrtox.c kstrtobool: decides on the first character (and "on"/"off"); undefined when it would fail. */
export function kstrtobool(v: string): boolean | undefined {
  const c = v[0];
  if (c === 'y' || c === 'Y' || c === 't' || c === 'T' || c === '1') return true;
  if (c === 'n' || c === 'N' || c === 'f' || c === 'F' || c === '0') return false;
  if ((c === 'o' || c === 'O') && v.length >= 2) {
    const d = v[1];
    if (d === 'n' || d === 'N') return true;
    if (d === 'f' || d === 'F') return false;
  }
  return undefined;
}

/** systemd parse_boolean(); a switch given without "=value" means true (proc_cmdline_value_missing). */
export function systemdBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return true;
  const s = v.toLowerCase();
  if (['1', 'yes', 'y', 'true', 't', 'on'].includes(s)) return true;
  if (['0', 'no', 'n', 'false', 'f', 'off'].includes(s)) return false;
  return undefined;
}

function listValue(v: string | undefined): string[] {
  if (v === undefined) return [];
  return v.split(',').filter((s) => s !== '');
}

function pushUnique(into: string[], items: readonly string[]): void {
  for (const i of items) if (!into.includes(i)) into.push(i);
}

/**
 * The kernel stops taking parameters at "--" (the rest goes to init), so kernel switches after it are ignored;
 * systemd reads /proc/cmdline itself, so its switches count wherever they are. The last valid systemd value wins;
 * an invalid one is ignored, as systemd does (it logs and keeps the default).
 */
export function parseCgroupCmdline(words: readonly string[]): CgroupCmdline {
  const out: {
    noV1: string[];
    enable: string[];
    disable: string[];
    systemdUnified?: boolean;
    systemdLegacyController?: boolean;
    v1Proc?: boolean;
  } = { noV1: [], enable: [], disable: [] };
  let kernelPart = true;
  for (const word of words) {
    if (word === '--') {
      kernelPart = false;
      continue;
    }
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    if (key === 'systemd.unified_cgroup_hierarchy') {
      const b = systemdBool(value);
      if (b !== undefined) out.systemdUnified = b;
      continue;
    }
    if (key === 'systemd.legacy_systemd_cgroup_controller') {
      const b = systemdBool(value);
      if (b !== undefined) out.systemdLegacyController = b;
      continue;
    }
    if (!kernelPart) continue;
    // the kernel treats '-' and '_' in parameter names alike (parameq)
    switch (key.replace(/-/g, '_')) {
      case 'cgroup_no_v1':
        pushUnique(out.noV1, listValue(value));
        break;
      case 'cgroup_enable':
        pushUnique(out.enable, listValue(value));
        break;
      case 'cgroup_disable':
        pushUnique(out.disable, listValue(value));
        break;
      case 'cgroup_v1_proc': {
        const b = value === undefined ? undefined : kstrtobool(value);
        if (b !== undefined) out.v1Proc = b;
        break;
      }
    }
  }
  return out;
}
