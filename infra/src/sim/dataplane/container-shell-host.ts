import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { Listener } from '@netlab/grader/netmodel';
import { dnsClientOf, type CatalogImage } from '../apps/image-catalog';
import type { ShellHost } from '../shell/shell-host';
import { containerEnv, volumeFiles } from '../runtime/container-env';
import type { SimContext } from '../runtime/context';
import type { ContainerRun, PodRun } from '../runtime/pod-run';
import { CLUSTER_DNS_IP } from '../runtime/system-manifests';
import type { Dataplane } from './dataplane';
import { nodeRoutes, podRoutes } from './kindnet-routes';
import { changeNodeRoute, containerNetAdmin } from './node-routes';
import { nodeNetfilter } from './node-shell-host';

/** Where the container mounted the node's root (a hostPath `/` volume, as `kubectl debug node/…` does). */
function nodeRootMounts(pod: V1Pod, spec: V1Container): string[] {
  const roots = new Set(
    (pod.spec?.volumes ?? []).filter((v) => v.hostPath?.path.replace(/\/+$/, '') === '').map((v) => v.name),
  );
  return (spec.volumeMounts ?? [])
    .filter((m) => roots.has(m.name))
    .map((m) => m.mountPath.replace(/\/+$/, '') || '/');
}

/** The shells an image has by its /bin/sh flavour. */
const SHELLS: Record<CatalogImage['shell'], string[]> = {
  ash: ['sh', 'ash'],
  dash: ['sh', 'dash', 'bash'],
  bash: ['sh', 'bash'],
  none: [],
};

/** Which programs an image ships (its catalog entry); undefined (every program) for an image outside it. */
export function imagePrograms(entry: CatalogImage | undefined): string[] | undefined {
  if (!entry) return undefined;
  return [...SHELLS[entry.shell], ...entry.tools];
}

/** /etc/resolv.conf as the kubelet writes it for the pod's dnsPolicy. */
function resolvConf(pod: V1Pod): string {
  const ns = pod.metadata?.namespace ?? 'default';
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'Default' || (policy === 'ClusterFirst' && pod.spec?.hostNetwork)) {
    return 'search .\nnameserver 172.18.0.1\noptions ndots:0 edns0 trust-ad\n';
  }
  if (policy === 'None') {
    const c = pod.spec?.dnsConfig;
    return `${c?.searches?.length ? `search ${c.searches.join(' ')}\n` : ''}${(c?.nameservers ?? []).map((n) => `nameserver ${n}\n`).join('')}${c?.options?.length ? `options ${c.options.map((o) => (o.value ? `${o.name}:${o.value}` : o.name)).join(' ')}\n` : ''}`;
  }
  return `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${CLUSTER_DNS_IP}\noptions ndots:5\n`;
}

function hostsFile(pod: V1Pod, ip: string | undefined): string {
  const name = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  if (ip) lines.push(`${ip}\t${name}`);
  for (const h of pod.spec?.hostAliases ?? [])
    lines.push('', '# Entries added by HostAliases.', `${h.ip}\t${(h.hostnames ?? []).join('\t')}`);
  return `${lines.join('\n')}\n`;
}

/** The ShellHost of one container: its files, env, processes and sockets, and the dataplane's answers. */
export function containerShellHost(
  ctx: SimContext,
  dataplane: Dataplane,
  pod: V1Pod,
  run: PodRun,
  c: ContainerRun,
): ShellHost {
  const spec = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
    ...((pod.spec?.ephemeralContainers ?? []) as V1Container[]),
  ].find((s) => s.name === c.name)!;
  const ns = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const ip = pod.status?.podIP ?? run.ip;
  // The runtime builds a container's environment once, when it creates it: Services created later
  // are not in it (docker-links variables are fixed at start), and an exec inherits it.
  let env: Record<string, string> = c.env ?? {};
  if (!c.env) {
    try {
      env = containerEnv(ctx.store, pod, spec);
    } catch {
      // The container could not have started; its shell sees the base environment only.
    }
  }
  // A hostNetwork pod shares the node's UTS namespace too: its hostname is the node's.
  const hostname =
    pod.spec?.hostNetwork && pod.spec.nodeName ? pod.spec.nodeName : (pod.spec?.hostname ?? name);
  const instance = c.app?.instance;
  const files: Record<string, string> = {
    '/etc/resolv.conf': resolvConf(pod),
    '/etc/hosts': hostsFile(pod, ip),
    '/etc/hostname': `${hostname}\n`,
    ...volumeFiles(ctx.store, pod, spec),
    ...(c.app?.instance.files ?? {}),
  };
  // Each container has its own PID namespace, except that `kubectl debug --target=APP` puts the
  // debug container into APP's: APP's processes keep their PIDs (its main process is PID 1).
  const target = (spec as { targetContainerName?: string }).targetContainerName;
  const targetRun = target ? run.containers.get(target) : undefined;
  const shared = targetRun?.state === 'running' ? (targetRun.app?.instance.processes ?? []) : [];
  const processes = [
    ...shared.map((p) => ({ ...p, container: target! })),
    ...(c.app?.instance.processes ?? []).map((p) => ({ ...p, container: c.name })),
  ].map((p, i) => ({ pid: i + 1, ...p }));
  const listeners: Listener[] = dataplane.listeners().filter((l) => l.namespace === ns && l.pod === name);
  const hostNetwork = Boolean(pod.spec?.hostNetwork);
  const dnsClient = c.app?.entry ? dnsClientOf(c.app.entry, c.app.image) : undefined;
  const from = { namespace: ns, name, ...(ip ? { ip } : {}) };
  const nodeName = pod.spec?.nodeName;
  const netAdmin = containerNetAdmin(spec);
  const roots = nodeName ? nodeRootMounts(pod, spec) : [];
  const host: ShellHost = {
    pod: {
      namespace: ns,
      name,
      ...(ip ? { ip } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    },
    container: c.name,
    hostname,
    env,
    files,
    processes,
    listeners,
    interfaces: [
      { name: 'lo', addresses: ['127.0.0.1/8'], mtu: 65536 },
      ...(ip
        ? [{ name: 'eth0', addresses: [hostNetwork ? `${ip}/16` : `${ip}/24`], mac: macFor(ip), mtu: 1500 }]
        : []),
    ],
    routes: hostNetwork ? nodeRoutes(ctx, pod.spec?.nodeName, ip ?? '') : ip ? podRoutes(ip) : [],
    resolve: (query) => dataplane.resolve({ namespace: ns, name }, query),
    connect: (host, port, protocol) => dataplane.connect(from, host, port, protocol),
    http: (request) => dataplane.http(from, request),
    // A hostNetwork container with CAP_NET_ADMIN changes the node's routing table.
    ...(pod.spec?.hostNetwork && pod.spec.nodeName
      ? {
          changeRoute(this: ShellHost, op: 'add' | 'del', args: string[]) {
            const node = pod.spec!.nodeName!;
            const r = changeNodeRoute(ctx, node, this.routes, op, args, containerNetAdmin(spec));
            this.routes = nodeRoutes(ctx, node, ip ?? '');
            return r;
          },
        }
      : {}),
    ...(c.app?.entry ? { programs: imagePrograms(c.app.entry)! } : {}),
    ...(c.app?.entry && c.app.entry.shell !== 'none'
      ? { shell: c.app.entry.binSh ?? c.app.entry.shell }
      : {}),
    ...(dnsClient ? { dnsClient } : {}),
    ...(c.app?.entry?.netcat ? { netcat: c.app.entry.netcat } : {}),
    ...(instance?.listen ? { listen: (socket, handler) => instance.listen!(socket, handler) } : {}),
    ...(instance?.main
      ? {
          // One filesystem per container: what the main process or an exec writes, the others see.
          onFileWrite: (path: string, text: string) => {
            instance.files![path] = text;
          },
        }
      : {}),
    ...(netAdmin ? { netAdmin } : {}),
    // A hostNetwork pod shares the node's network namespace: kube-proxy's rules and conntrack.
    ...(hostNetwork && nodeName
      ? {
          netfilter: () => nodeNetfilter(ctx, dataplane, nodeName),
          conntrack: () => dataplane.conntrack(nodeName),
        }
      : {}),
  };
  if (roots.length > 0 && nodeName) {
    const node = () => dataplane.nodeShell(nodeName, { pod, host });
    host.chroots = Object.fromEntries(roots.map((r) => [r, node]));
    // What `ls /host`, `cat /host/etc/os-release` find: the node's files under the mount.
    for (const r of roots)
      for (const [path, text] of Object.entries(node().files)) files[`${r === '/' ? '' : r}${path}`] = text;
  }
  return host;
}

function macFor(ip: string): string {
  const parts = ip.split('.').map((n) => Number(n).toString(16).padStart(2, '0'));
  return `4a:${parts[0] ?? '00'}:${parts[1] ?? '00'}:${parts[2] ?? '00'}:${parts[3] ?? '00'}:01`;
}
