// Every built-in check, in the order reports list them: the five incident checks, then the generic requirement checks.
import type { Check } from '../check.ts';
import { binfmtHandlerCheck } from './binfmt-handler.ts';
import { binfmtRegistrationLifetimeCheck } from './binfmt-registration-lifetime.ts';
import { cgroupControllerCheck } from './cgroup-controller.ts';
import { cgroupV1ControllerMissingCheck } from './cgroup-v1-controller-missing.ts';
import { iptablesBackendMismatchCheck } from './iptables-backend-mismatch.ts';
import { kernelModuleCheck } from './kernel-module.ts';
import { kernelOptionCheck } from './kernel-option.ts';
import { kernelVersionCheck } from './kernel-version.ts';
import { moduleCompressionSupportCheck } from './module-compression-support.ts';
import { nftChainTypeHookCheck } from './nft-chain-type-hook.ts';
import { swapCheck } from './swap.ts';
import { sysctlCheck } from './sysctl.ts';

/** The incident check ids are a public contract (DESIGN.md). */
export const INCIDENT_CHECKS: readonly Check[] = [
  moduleCompressionSupportCheck,
  iptablesBackendMismatchCheck,
  binfmtRegistrationLifetimeCheck,
  cgroupV1ControllerMissingCheck,
  nftChainTypeHookCheck,
];

export const REQUIREMENT_CHECKS: readonly Check[] = [kernelVersionCheck, kernelOptionCheck, kernelModuleCheck, cgroupControllerCheck, binfmtHandlerCheck, sysctlCheck, swapCheck];

export const CHECKS: readonly Check[] = [...INCIDENT_CHECKS, ...REQUIREMENT_CHECKS];
