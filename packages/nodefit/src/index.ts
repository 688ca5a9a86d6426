// The library API: collect facts, load targets, evaluate; what the CLI, the server and other tools build on.
export * from './facts/fact.ts';
export * from './facts/snapshot.ts';
export { collectFacts } from './facts/collect.ts';
export type { HostFs, HostStat } from './host/host-fs.ts';
export { HostFsError } from './host/host-fs.ts';
export { RootFs } from './host/root-fs.ts';
export { MemoryFs } from './host/memory-fs.ts';
export { loadTarget } from './targets/load-target.ts';
export { parseSnapshot, readSnapshotFile } from './targets/read-snapshot.ts';
export type { TargetSpec, BaseTarget } from './targets/target-spec.ts';
export * from './engine/report.ts';
export type { Capability, Evidence } from './capabilities/capability.ts';
export { TOOL } from './version.ts';
export { evaluate, type EvaluateOptions } from './engine/evaluate.ts';
export { deriveCapabilities } from './capabilities/derive.ts';
export { capabilityViews } from './capabilities/views.ts';
export type { Capabilities } from './capabilities/capabilities.ts';
export { compareKernelReleases } from './util/kernel-version.ts';
