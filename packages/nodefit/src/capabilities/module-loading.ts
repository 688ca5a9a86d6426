// Whether this kernel can load modules at all: without CONFIG_MODULES, or after modules_disabled=1, every "loadable"
// module is as good as missing, which changes the verdict of every module-based check.
import type { HostFacts } from '../facts/snapshot.ts';
import type { Availability } from './capabilities.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configOption, factEvidence } from './facts-view.ts';

export function deriveModuleLoading(facts: HostFacts): Capability<Availability> {
  const disabledFact = facts.modules.modulesDisabled;
  const disabledEv = factEvidence('modules.modulesDisabled', disabledFact, (v) => (v ? '1' : '0'));
  const cfg = configOption(facts, 'MODULES');
  const ev: Evidence[] = [disabledEv, cfg.evidence];

  if (disabledFact.state === 'known' && disabledFact.value) {
    return capability<Availability>(
      'unavailable',
      'kernel.modules_disabled is 1: no module can be loaded until the next boot',
      ev,
    );
  }
  if (cfg.kind === 'set' && cfg.value === 'n') {
    return capability<Availability>('unavailable', 'the kernel is built without CONFIG_MODULES: nothing can be loaded, only built-in code exists', ev);
  }
  if (cfg.kind === 'set' && cfg.value === 'y') {
    return capability<Availability>(
      'available',
      disabledFact.state === 'known'
        ? 'CONFIG_MODULES=y and kernel.modules_disabled is 0'
        : 'CONFIG_MODULES=y (modules_disabled not known: a running host can still switch loading off)',
      ev,
    );
  }
  // /proc/sys/kernel/modules_disabled only exists when the kernel has CONFIG_MODULES (kernel/module sysctl table).
  if (disabledFact.state === 'known') {
    return capability<Availability>('available', 'kernel.modules_disabled exists and is 0, so the kernel supports modules', ev);
  }
  const loaded = facts.modules.loaded;
  if (loaded.state === 'known' && Object.keys(loaded.value).length > 0) {
    ev.push(factEvidence('modules.loaded', loaded, (v) => `${Object.keys(v).length} loaded`));
    return capability<Availability>('available', 'modules are loaded right now, so the kernel supports modules', ev);
  }
  if (cfg.kind === 'absent') {
    return capability<Availability>('unknown', 'the kernel config does not mention CONFIG_MODULES and no live module state was read', ev);
  }
  return capability<Availability>('unknown', 'neither the kernel config nor /proc/sys/kernel/modules_disabled could be read', ev);
}
