// Validates workload profiles (built-in YAML at build time, --kb files at run time); loaded lazily, never on the live path.
import { isSysctlKey } from '../facts/netfilter/sysctl-key.ts';
import { z } from 'zod';
import { OsFamily } from '../facts/os/schema.ts';
import type { WorkloadProfile } from './profile-types.ts';
import { parseVersionRange } from './version-range.ts';
import { qemuNameOfUname } from '../facts/os/arch.ts';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-" only');
const Url = z.string().regex(/^https?:\/\/\S+$/, 'a http(s) URL');
const KernelRange = z.string().refine((s) => parseVersionRange(s) !== null, 'a kernel version range such as ">=5.2 <6.9"');
const OptionName = z.string().regex(/^[A-Z0-9_]+$/, 'a kernel option without CONFIG_, e.g. IP_NF_IPTABLES');

/** Architectures as QEMU names them, which is what targetArch compares with: uname's armv7l or i686 would never match. */
const Arch = z
  .string()
  .regex(/^[a-z0-9_]+$/, 'an architecture as QEMU names it, e.g. x86_64, aarch64, arm')
  .superRefine((a, ctx) => {
    const q = qemuNameOfUname(a);
    if (q !== a) ctx.addIssue({ code: 'custom', message: `say ${q}: architectures are named as QEMU names them, not ${a}` });
  });

const OptionRef = z.union([OptionName, z.strictObject({ option: OptionName, kernel: KernelRange })]);

const Condition = z.strictObject({ kernel: KernelRange.optional(), cgroup: z.enum(['v1', 'v2']).optional(), iptablesLegacy: z.enum(['available', 'unavailable']).optional(), arch: Arch.optional() });

const base = {
  id: Id,
  level: z.enum(['required', 'optional']),
  source: Url,
  description: z.string().min(1).optional(),
  when: Condition.optional(),
};

export const RequirementSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('kernel-version'), range: KernelRange }),
  z.strictObject({ ...base, kind: z.literal('kernel-option'), anyOf: z.array(OptionRef).min(1), values: z.array(z.string()).min(1).optional(), foldedInto: z.array(OptionName).min(1).optional() }),
  z.strictObject({
    ...base,
    kind: z.literal('module'),
    anyOf: z.array(z.string().regex(/^[A-Za-z0-9_]+$/, 'a module name with underscores')).min(1),
    config: z.array(OptionRef).min(1).optional(),
    loadedBy: z.enum(['container', 'host']).optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('cgroup-controller'), controller: z.string().regex(/^[a-z_]+$/), hierarchy: z.enum(['v1', 'v2', 'any']) }),
  z.strictObject({ ...base, kind: z.literal('binfmt-handler'), arch: Arch }),
  z.strictObject({
    ...base,
    kind: z.literal('nft-chain'),
    family: z.enum(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']),
    type: z.enum(['filter', 'nat', 'route']),
    hook: z.enum(['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress']),
  }),
  z
    .strictObject({ ...base, kind: z.literal('iptables-backend'), backend: z.enum(['legacy', 'nft', 'wrapper']), undecidedPicks: z.enum(['legacy', 'nft']).optional() })
    .refine((r) => r.undecidedPicks === undefined || r.backend === 'wrapper', { message: 'undecidedPicks describes an iptables-wrapper: only with backend: wrapper', path: ['undecidedPicks'] }),
  z.strictObject({ ...base, kind: z.literal('sysctl'), key: z.string().refine(isSysctlKey, 'a sysctl key such as net.ipv4.ip_forward (no leading "-")'), value: z.string() }),
  z.strictObject({ ...base, kind: z.literal('swap'), active: z.literal(false) }),
]);

export const ProfileSchema = z
  .strictObject({
    id: Id,
    title: z.string().min(1),
    description: z.string().min(1),
    references: z.array(Url).min(1),
    remediation: z.array(z.strictObject({ os: z.union([OsFamily, z.literal('any')]), text: z.string().min(1) })).optional(),
    binfmtRegistration: z.enum(['oneshot-container', 'long-running-container', 'host']).optional(),
    appliesTo: z.enum(['host', 'guest-kernel']).optional(),
    requirements: z.array(RequirementSchema),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.requirements.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'id'], message: `duplicate requirement id ${JSON.stringify(r.id)}` });
      seen.add(r.id);
    });
  });

// Compile-time guard: what the schema accepts is a WorkloadProfile, so the generated JSON can be typed without zod.
type Parsed = z.infer<typeof ProfileSchema>;
const _assignable: (p: Parsed) => WorkloadProfile = (p) => p;
void _assignable;
