// The Kubernetes deployment (deploy/kubernetes): schema-valid against the upstream API, and holding the security and
// wiring promises the manifests' comments and deploy/README.md make to a reviewer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { parseDuration } from '../../src/agent/parse-duration.ts';
import { NPD_MAX_OUTPUT } from '../../src/render/npd.ts';
import {
  DEPLOY_DIR,
  KUBE_DIR,
  REPO_ROOT,
  helpFlags,
  isKustomization,
  isUnder,
  loadManifests,
  manifestsFromText,
  parseArgs,
  runCli,
  yamlFiles,
  type Manifest,
} from './deploy-helpers.ts';
import { NEWER_FIELDS, schemaErrors, strictFieldErrors } from './k8s-schema.ts';
import { tempDir } from '../helpers/fixtures.ts';

const all = loadManifests();
const objects = all.filter((m) => !isKustomization(m));

function find<T>(kind: string, name: string): T {
  const hits = objects.filter((m) => m.body.kind === kind && (m.body.metadata as { name?: unknown } | undefined)?.name === name);
  assert.equal(hits.length, 1, `exactly one ${kind} ${name} in deploy/kubernetes (found ${hits.length})`);
  return hits[0]!.body as T;
}

const agent = find<IDaemonSet>('DaemonSet', 'nodefit-agent');
const server = find<IDeployment>('Deployment', 'nodefit-server');
const service = find<IService>('Service', 'nodefit-server');
const tokenSecret = find<ISecret>('Secret', 'nodefit-token');
const npdConfig = find<IConfigMap>('ConfigMap', 'nodefit-npd-config');
const agentPod = agent.spec!.template.spec!;
const serverPod = server.spec!.template.spec!;
const agentContainer = agentPod.containers[0]!;
const serverContainer = serverPod.containers[0]!;

function containersOf(pod: IPodSpec): IContainer[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}

function podSpecs(): { where: string; pod: IPodSpec }[] {
  return objects.flatMap((m) => {
    const spec = (m.body.spec as { template?: { spec?: IPodSpec } } | undefined)?.template?.spec;
    return spec === undefined ? [] : [{ where: m.where, pod: spec }];
  });
}

/** The mountPath of the volume holding `file` in `c`, with that volume's definition. */
function mountHolding(pod: IPodSpec, c: IContainer, file: string) {
  const mount = (c.volumeMounts ?? []).find((vm) => isUnder(file, vm.mountPath));
  assert.ok(mount, `${c.name}: no volume is mounted above ${file}`);
  const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
  assert.ok(volume, `${c.name}: volume ${mount.name} is mounted but not defined`);
  return { mount, volume };
}

describe('deploy/kubernetes: YAML and the Kubernetes API schema', () => {
  it('finds the manifests: every YAML file parses, and the main objects are there', () => {
    assert.ok(yamlFiles().length >= 8, 'deploy/kubernetes holds the manifests');
    const kinds = new Set(objects.map((m) => m.body.kind));
    for (const k of ['Namespace', 'DaemonSet', 'Deployment', 'Service', 'Secret', 'PersistentVolumeClaim', 'ConfigMap']) assert.ok(kinds.has(k), `a ${k}`);
  });

  it('validates every object against the Kubernetes OpenAPI JSON schema (types, required fields, quantities)', async () => {
    const errors = (await Promise.all(objects.map(schemaErrors))).flat();
    assert.deepEqual(errors, []);
  });

  it('rejects fields the API does not define (a misspelt readOnly would silently mount read-write)', () => {
    assert.deepEqual(strictFieldErrors(objects, import.meta.dirname), []);
  });

  it('the validators catch the mistakes they are here for (so a green run means something)', async () => {
    const broken = structuredClone<Manifest>(all.find((m) => m.body.kind === 'DaemonSet')!);
    const c = (broken.body as unknown as IDaemonSet).spec!.template.spec!.containers[0]!;
    c.resources = { limits: { memory: 'lots' } };
    assert.match((await schemaErrors(broken)).join('\n'), /quantity/);

    const misspelt = structuredClone(broken.body) as unknown as IDaemonSet;
    (misspelt.spec!.template.spec!.containers[0]!.volumeMounts![0] as unknown as Record<string, unknown>).readonly = true;
    const typo = strictFieldErrors([{ ...broken, body: misspelt as unknown as Record<string, unknown>, where: 'typo' }], import.meta.dirname);
    assert.match(typo.join('\n'), /typo: .*'"?readonly"?' does not exist/);

    const badNewer = structuredClone(misspelt);
    (badNewer.spec!.template.spec!.containers[0]!.volumeMounts![0] as unknown as Record<string, unknown>).recursiveReadOnly = 'Sometimes';
    assert.match(strictFieldErrors([{ ...broken, body: badNewer as unknown as Record<string, unknown>, where: 'newer' }], import.meta.dirname).join('\n'), /recursiveReadOnly must be one of/);
    assert.ok(NEWER_FIELDS.recursiveReadOnly);
  });
});

describe('deploy/kubernetes: kustomize', () => {
  const kustomizations = all.filter(isKustomization);

  it('every resource a kustomization lists exists, and every manifest is used or a documented placeholder', () => {
    const used = new Set<string>();
    for (const k of kustomizations) {
      const dir = path.dirname(k.file);
      for (const r of (k.body.resources as string[] | undefined) ?? []) {
        const p = path.resolve(dir, r);
        assert.ok(fs.existsSync(p), `${k.where}: resource ${r} does not exist`);
        used.add(fs.statSync(p).isDirectory() ? path.join(p, 'kustomization.yaml') : p);
      }
    }
    const placeholders = objects.filter((m) => !used.has(m.file)).map((m) => path.relative(KUBE_DIR, m.file));
    // Secrets with real values are created by hand (kubectl create secret): re-applying must not overwrite them
    assert.deepEqual(placeholders.sort(), ['base/token-secret.yaml', 'postgres/postgres-secret.yaml']);
    for (const p of placeholders) {
      const text = fs.readFileSync(path.join(KUBE_DIR, p), 'utf8');
      assert.match(text, /kubectl -n nodefit create secret generic/, `${p} says how to create the real Secret`);
    }
  });

  it('the token placeholder carries no usable token, so an unedited apply fails closed', () => {
    assert.equal(tokenSecret.stringData?.token, '');
    assert.match(fs.readFileSync(path.join(KUBE_DIR, 'base/token-secret.yaml'), 'utf8'), /openssl rand -hex 32/);
  });

  for (const variant of ['', 'postgres', 'node-problem-detector']) {
    it(`kubectl kustomize builds the ${variant || 'default (SQLite)'} variant into schema-valid objects`, async (t: TestContext) => {
      const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
      if (kubectl.error !== undefined || kubectl.status !== 0) {
        t.skip('kubectl is not installed: the kustomize build is not checked');
        return;
      }
      const r = spawnSync('kubectl', ['kustomize', path.join(KUBE_DIR, variant)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const built = manifestsFromText(r.stdout, `kustomize ${variant || 'default'}`);
      assert.deepEqual((await Promise.all(built.map(schemaErrors))).flat(), []);
      assert.deepEqual(strictFieldErrors(built, import.meta.dirname), []);
      for (const m of built) {
        const clusterScoped = m.body.kind === 'Namespace' || m.body.kind === 'ClusterRoleBinding';
        if (!clusterScoped) assert.equal((m.body.metadata as { namespace?: string }).namespace, 'nodefit', `${m.where} is namespaced`);
      }
      if (variant === 'node-problem-detector') {
        assert.deepEqual(built.map((m) => m.body.kind).sort(), ['ClusterRoleBinding', 'DaemonSet', 'ServiceAccount']);
        return;
      }
      const deployment = built.find((m) => m.body.kind === 'Deployment')!.body as unknown as IDeployment;
      const db = deployment.spec!.template.spec!.containers[0]!.env!.find((e) => e.name === 'NODEFIT_DB')!;
      const pvcs = built.filter((m) => m.body.kind === 'PersistentVolumeClaim');
      if (variant === 'postgres') {
        assert.deepEqual(db.valueFrom?.secretKeyRef, { name: 'nodefit-postgres', key: 'url' });
        assert.equal(pvcs.length, 0, 'no SQLite volume with PostgreSQL');
      } else {
        assert.equal(db.value, '/var/lib/nodefit/nodefit.db');
        assert.equal(pvcs.length, 1);
      }
    });
  }
});

describe('deploy/kubernetes: the agent DaemonSet', () => {
  it('mounts the host root read-only at /host, recursively where the node supports it', () => {
    const hostRoot = (agentPod.volumes ?? []).filter((v) => v.hostPath?.path === '/');
    assert.equal(hostRoot.length, 1);
    const mounts = containersOf(agentPod).flatMap((c) => (c.volumeMounts ?? []).filter((vm) => vm.name === hostRoot[0]!.name));
    assert.ok(mounts.length > 0);
    for (const vm of mounts) {
      assert.equal(vm.mountPath, '/host');
      assert.equal(vm.readOnly, true, 'the host root is mounted readOnly');
      const rro = (vm as unknown as { recursiveReadOnly?: string }).recursiveReadOnly;
      assert.ok(rro === 'IfPossible' || rro === 'Enabled', 'submounts (/host/proc, /host/sys) are read-only too where supported');
      assert.ok(vm.mountPropagation === undefined || vm.mountPropagation === 'None', 'recursiveReadOnly requires mountPropagation None');
    }
  });

  it('writes to exactly one host path: the node-feature-discovery features.d directory', () => {
    const writable = containersOf(agentPod).flatMap((c) =>
      (c.volumeMounts ?? []).filter((vm) => vm.readOnly !== true && (agentPod.volumes ?? []).some((v) => v.name === vm.name && v.hostPath !== undefined)),
    );
    assert.deepEqual(
      writable.map((vm) => vm.mountPath),
      ['/etc/kubernetes/node-feature-discovery/features.d'],
    );
    const v = agentPod.volumes!.find((x) => x.name === writable[0]!.name)!;
    assert.equal(v.hostPath!.path, '/etc/kubernetes/node-feature-discovery/features.d');
  });

  it('is not privileged: no privileged flag, every capability dropped and none added, no escalation, read-only root fs', () => {
    for (const c of containersOf(agentPod)) {
      const sc = c.securityContext ?? {};
      assert.notEqual(sc.privileged, true, `${c.name} is not privileged`);
      assert.deepEqual(sc.capabilities?.drop, ['ALL'], `${c.name} drops every capability`);
      assert.deepEqual(sc.capabilities?.add ?? [], [], `${c.name} adds none: root reads root-owned files as their owner`);
      assert.equal(sc.allowPrivilegeEscalation, false);
      assert.equal(sc.readOnlyRootFilesystem, true);
    }
    assert.equal(agentPod.securityContext?.seccompProfile?.type, 'RuntimeDefault');
    assert.equal(agentPod.automountServiceAccountToken, false, 'the agent never talks to the Kubernetes API');
  });

  it('joins the host network namespace (net sysctls) but not the host PID namespace', () => {
    assert.equal(agentPod.hostNetwork, true);
    assert.equal(agentPod.dnsPolicy, 'ClusterFirstWithHostNet', 'with hostNetwork only this policy resolves *.svc names');
    assert.notEqual(agentPod.hostPID, true, '/host/proc is the host procfs already; hostPID would only let it signal host processes');
    assert.notEqual(agentPod.hostIPC, true);
  });

  it('runs on every node: a toleration matching every taint', () => {
    const all = (agentPod.tolerations ?? []).filter((t) => t.operator === 'Exists' && t.key === undefined && t.effect === undefined);
    assert.equal(all.length, 1, 'operator Exists with no key and no effect tolerates every taint');
    assert.equal(agent.spec!.updateStrategy?.type, 'RollingUpdate');
    assert.ok(agent.spec!.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined, 'rolling updates bound how many nodes go unreported');
  });

  it('runs `nodefit report` with flags that exist, against the in-cluster server, reporting the node name', () => {
    const { command, flags } = parseArgs(agentContainer.args ?? []);
    assert.equal(command, 'report');
    assert.equal(agentContainer.command, undefined, 'the image entrypoint is nodefit');
    const known = helpFlags('report');
    for (const f of flags.keys()) assert.ok(known.has(f), `nodefit report has no ${f} flag (it has ${[...known].join(' ')})`);

    assert.equal(flags.get('--root'), '/host');
    const port = service.spec!.ports!.find((p) => p.name === 'http')!.port;
    assert.equal(flags.get('--server'), `http://${service.metadata!.name}.${service.metadata!.namespace}.svc:${port}`);
    const interval = parseDuration(flags.get('--interval') ?? '');
    assert.ok(interval !== undefined && interval >= 60_000, 'an interval of at least a minute');

    assert.equal(flags.get('--node-name'), '$(NODE_NAME)');
    const nodeName = agentContainer.env!.find((e) => e.name === 'NODE_NAME');
    assert.equal(nodeName?.valueFrom?.fieldRef?.fieldPath, 'spec.nodeName', 'NODE_NAME comes from the downward API');

    const nfd = flags.get('--nfd-features')!;
    assert.equal(nfd, '/etc/kubernetes/node-feature-discovery/features.d/nodefit');
    assert.equal(mountHolding(agentPod, agentContainer, nfd).volume.hostPath?.path, path.posix.dirname(nfd));
  });

  it('reads the token from the Secret, mounted read-only', () => {
    for (const [pod, c] of [
      [agentPod, agentContainer],
      [serverPod, serverContainer],
    ] as const) {
      const file = parseArgs(c.args ?? []).flags.get('--token-file')!;
      const { mount, volume } = mountHolding(pod, c, file);
      assert.equal(mount.readOnly, true);
      assert.equal(volume.secret?.secretName, tokenSecret.metadata!.name);
      const item = volume.secret!.items!.find((i) => path.posix.join(mount.mountPath, i.path) === file);
      assert.equal(item?.key, 'token', `${file} is the Secret's "token" key`);
      assert.equal((volume.secret!.defaultMode ?? 0o644) & 0o007, 0, 'the token is not world-readable');
      assert.ok(!(c.env ?? []).some((e) => e.name === 'NODEFIT_TOKEN' && e.value !== undefined), 'no literal token in env');
    }
  });
});

describe('deploy/kubernetes: the server', () => {
  it('runs one replica with Recreate: SQLite on a ReadWriteOnce volume has one writer', () => {
    assert.equal(server.spec!.replicas, 1);
    assert.equal(server.spec!.strategy?.type, 'Recreate');
    const db = serverContainer.env!.find((e) => e.name === 'NODEFIT_DB')!.value!;
    const { volume } = mountHolding(serverPod, serverContainer, db);
    const pvc = find<{ spec: { accessModes: string[] } }>('PersistentVolumeClaim', volume.persistentVolumeClaim!.claimName);
    assert.deepEqual(pvc.spec.accessModes, ['ReadWriteOnce']);
  });

  it('runs `nodefit serve` with flags that exist, on the port the Service targets', () => {
    const { command, flags } = parseArgs(serverContainer.args ?? []);
    assert.equal(command, 'serve');
    const known = helpFlags('serve');
    for (const f of flags.keys()) assert.ok(known.has(f), `nodefit serve has no ${f} flag`);
    // the database URL (with a password, for PostgreSQL) comes from NODEFIT_DB, never from the command line
    assert.equal(flags.has('--db'), false);
    assert.ok(serverContainer.env!.some((e) => e.name === 'NODEFIT_DB'));
    const containerPort = serverContainer.ports!.find((p) => p.name === 'http')!;
    assert.equal(String(containerPort.containerPort), flags.get('--port'));
    assert.equal(service.spec!.ports![0]!.targetPort, 'http');
    assert.deepEqual(service.spec!.selector, server.spec!.selector.matchLabels);
  });

  it('probes /healthz for liveness and /readyz for readiness, and is scraped by annotation', () => {
    assert.equal(serverContainer.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(serverContainer.readinessProbe?.httpGet?.path, '/readyz');
    const ann = server.spec!.template.metadata!.annotations!;
    assert.equal(ann['prometheus.io/scrape'], 'true');
    assert.equal(ann['prometheus.io/path'], '/metrics');
    assert.equal(ann['prometheus.io/port'], flagsOfServer().get('--port'));
  });

  it('runs as a non-root user without capabilities or a writable root filesystem', () => {
    assert.equal(serverPod.securityContext?.runAsNonRoot, true);
    assert.ok((serverPod.securityContext?.runAsUser ?? 0) > 0);
    const sc = serverContainer.securityContext!;
    assert.deepEqual(sc.capabilities?.drop, ['ALL']);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(serverPod.automountServiceAccountToken, false);
  });
});

function flagsOfServer(): Map<string, string> {
  return parseArgs(serverContainer.args ?? []).flags;
}

describe('deploy/kubernetes: every workload', () => {
  it('gives every container CPU and memory requests and limits', () => {
    const pods = podSpecs();
    assert.ok(pods.length >= 2);
    for (const { where, pod } of pods) {
      for (const c of containersOf(pod)) {
        for (const k of ['requests', 'limits'] as const) {
          for (const r of ['cpu', 'memory']) assert.ok(c.resources?.[k]?.[r] !== undefined, `${where} ${c.name}: resources.${k}.${r}`);
        }
      }
    }
  });

  it('mounts every hostPath read-only, except the node-feature-discovery directory the agent writes', () => {
    for (const { where, pod } of podSpecs()) {
      for (const c of containersOf(pod)) {
        for (const vm of c.volumeMounts ?? []) {
          const hostPath = (pod.volumes ?? []).find((v) => v.name === vm.name)?.hostPath?.path;
          if (hostPath === undefined || hostPath === '/etc/kubernetes/node-feature-discovery/features.d') continue;
          assert.equal(vm.readOnly, true, `${where} ${c.name}: hostPath ${hostPath} at ${vm.mountPath} is read-only`);
        }
      }
    }
  });

  it('never runs a privileged container', () => {
    for (const { where, pod } of podSpecs()) for (const c of containersOf(pod)) assert.notEqual(c.securityContext?.privileged, true, `${where} ${c.name}`);
  });
});

interface NpdRule {
  type: string;
  condition: string;
  reason: string;
  path: string;
  args: string[];
  timeout?: string;
}
interface NpdConfig {
  plugin: string;
  pluginConfig: { invoke_interval?: string; timeout?: string; max_output_length?: number };
  source: string;
  conditions: { type: string; reason: string; message: string }[];
  rules: NpdRule[];
}

/** Go's time.ParseDuration for the units NPD configs use. */
function goDuration(s: string): number {
  const ms = parseDuration(s);
  assert.ok(ms !== undefined, `${s} is a duration`);
  return ms;
}

describe('deploy/kubernetes: the node-problem-detector plugin', () => {
  const config = JSON.parse(npdConfig.data!['nodefit-monitor.json']!) as NpdConfig;

  it('is a custom plugin monitor NPD accepts: rule timeouts within the global one, defaults for permanent conditions', () => {
    assert.equal(config.plugin, 'custom');
    assert.ok(config.source.length > 0);
    const global = goDuration(config.pluginConfig.timeout ?? '5s');
    assert.ok(config.rules.length > 0);
    for (const rule of config.rules) {
      assert.ok(rule.type === 'permanent' || rule.type === 'temporary');
      if (rule.timeout !== undefined) assert.ok(goDuration(rule.timeout) <= global, `rule timeout ${rule.timeout} <= global ${config.pluginConfig.timeout}`);
      if (rule.type === 'permanent') assert.ok(config.conditions.some((c) => c.type === rule.condition), `a default for ${rule.condition}`);
    }
    assert.equal(config.pluginConfig.max_output_length, NPD_MAX_OUTPUT, 'NPD keeps the whole line nodefit writes');
    assert.ok(goDuration(config.pluginConfig.invoke_interval ?? '30s') >= 60_000, 'a scan per minute at most');
  });

  it('runs a valid `nodefit check --root /host --format npd` with known workloads', () => {
    const known = helpFlags('check');
    for (const rule of config.rules) {
      assert.equal(rule.path, '/opt/nodefit/bin/nodefit', 'the bundle copied from the agent image (deploy/README.md)');
      const { command, flags } = parseArgs(rule.args);
      assert.equal(command, 'check');
      for (const f of flags.keys()) assert.ok(known.has(f), `nodefit check has no ${f} flag`);
      assert.equal(flags.get('--format'), 'npd');
      assert.equal(flags.get('--root'), '/host');
      const workloads = flags.get('--workload')!.split(',');
      const list = runCli(['workloads']);
      assert.equal(list.status, 0, list.stderr);
      for (const w of workloads) assert.match(list.stdout, new RegExp(`^${w.replace(/[-.]/g, '\\$&')}\\s`, 'm'), `workload ${w} exists`);
    }
  });

  it('the optional NPD DaemonSet gives the rule its executable, its config, and the host at /host', () => {
    const npd = find<IDaemonSet>('DaemonSet', 'nodefit-npd');
    const pod = npd.spec!.template.spec!;
    const main = pod.containers[0]!;
    const configFlag = (main.command ?? []).find((a) => a.startsWith('--config.custom-plugin-monitor='))!;
    const configFile = configFlag.slice(configFlag.indexOf('=') + 1);
    const cfg = mountHolding(pod, main, configFile);
    assert.equal(cfg.volume.configMap?.name, npdConfig.metadata!.name);
    assert.equal(path.posix.basename(configFile), Object.keys(npdConfig.data!)[0]);
    const rule = config.rules[0]!;
    const bundle = mountHolding(pod, main, rule.path);
    assert.ok(bundle.volume.emptyDir !== undefined);
    const init = pod.initContainers!.find((c) => (c.volumeMounts ?? []).some((vm) => vm.name === bundle.volume.name))!;
    assert.equal(init.image, agentContainer.image, 'the bundle comes from the agent image');
    const initBundle = init.volumeMounts!.find((vm) => vm.name === bundle.volume.name)!.mountPath;
    assert.deepEqual(init.command?.slice(0, 2), ['sh', '-c']);
    assert.match(init.command[2]!, new RegExp(`^cp -R /opt/nodefit/\\. ${initBundle}/ && `));
    assert.equal(mountHolding(pod, main, '/host/proc').volume.hostPath?.path, '/');
    assert.equal(pod.hostNetwork, true, 'the plugin reads the host net.* sysctls');
    assert.notEqual(pod.hostPID, true);
    assert.deepEqual(main.securityContext?.capabilities?.drop, ['ALL']);
    assert.equal(main.env?.find((e) => e.name === 'NODE_NAME')?.valueFrom?.fieldRef?.fieldPath, 'spec.nodeName');
  });

  it("the plugin's cache is a private emptyDir: after the initContainer's chmod a repeated rule replays, before it nothing is kept", (t) => {
    const npd = find<IDaemonSet>('DaemonSet', 'nodefit-npd');
    const pod = npd.spec!.template.spec!;
    const main = pod.containers[0]!;
    const cacheDir = main.env?.find((e) => e.name === 'NODEFIT_COMPILE_CACHE')?.value;
    assert.ok(cacheDir !== undefined, 'NPD gives the plugin a cache directory (its root file system is read-only)');
    const cache = mountHolding(pod, main, `${cacheDir}/x`);
    assert.equal(cache.mount.mountPath, cacheDir, 'the cache directory is the volume itself');
    assert.ok(cache.volume.emptyDir !== undefined && cache.mount.readOnly !== true);
    const init = pod.initContainers!.find((c) => (c.volumeMounts ?? []).some((vm) => vm.name === cache.volume.name))!;
    const initCache = init.volumeMounts!.find((vm) => vm.name === cache.volume.name)!.mountPath;
    const script = init.command![2]!;
    assert.match(script, new RegExp(`&& chmod 0700 ${initCache}$`));

    // the volume as the kubelet makes an emptyDir (mode 0777), then the initContainer's chmod run on it
    const dir = path.join(tempDir(t), 'emptydir');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    const rule = config.rules[0]!;
    const args = rule.args.map((a) => (a === '/host' ? '/' : a));
    const env = { ...process.env, NODEFIT_COMPILE_CACHE: dir, NODEFIT_DEBUG: '1' };
    runCli(args, { env });
    assert.deepEqual(fs.readdirSync(dir), [], 'a directory others can write is never used');
    const chmod = spawnSync('sh', ['-c', script.slice(script.indexOf('chmod ')).replace(initCache, dir)]);
    assert.equal(chmod.status, 0, String(chmod.stderr));
    const first = runCli(args, { env });
    const again = runCli(args, { env });
    assert.match(again.stderr, /answered all \d+ reads of the last identical check as before/);
    assert.equal(again.stdout, first.stdout);
    assert.equal(again.status, first.status);
  });

  it('the rule, run on this machine (with / for /host), follows the plugin protocol: exit 0/1/2 and one short line', () => {
    const rule = config.rules[0]!;
    const args = rule.args.map((a) => (a === '/host' ? '/' : a));
    const r = runCli(args);
    assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `exit ${r.status}: ${r.stderr}`);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stdout);
    assert.ok(lines[0]!.length <= NPD_MAX_OUTPUT);
    assert.match(lines[0]!, /^[\x20-\x7e]+$/);
  });
});

describe('deploy: files the manifests name', () => {
  it('the image names match the Containerfile targets and the README documents the build', () => {
    const containerfile = fs.readFileSync(path.join(DEPLOY_DIR, 'Containerfile'), 'utf8');
    const images = new Set(podSpecs().flatMap(({ pod }) => containersOf(pod).map((c) => c.image!.split(':')[0]!)).filter((i) => i.startsWith('nodefit-')));
    assert.deepEqual([...images].sort(), ['nodefit-agent', 'nodefit-server']);
    for (const image of images) {
      const target = image.replace(/^nodefit-/, '');
      assert.match(containerfile, new RegExp(`^FROM \\S+ AS ${target}$`, 'm'), `Containerfile has a ${target} stage for ${image}`);
      assert.match(fs.readFileSync(path.join(DEPLOY_DIR, 'README.md'), 'utf8'), new RegExp(`--target ${target}`), `README builds ${image}`);
    }
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'deploy/README.md')));
  });
});
