import { createHash } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { DEBIAN, NETFILTER } from '../apps/image-catalog';
import type { CriContainer, CriPod, ShellHost } from '../shell/shell-host';
import type { IptTable } from '../shell/net/iptables-ruleset';
import type { Kubelet } from '../runtime/kubelet';
import type { SimContext } from '../runtime/context';
import { fnv32a } from '../runtime/names';
import type { Dataplane } from './dataplane';
import { nodeRoutes } from './kindnet-routes';
import { nodeTables } from './kube-proxy-rules';

/** What kind's node image (Debian bookworm) ships that the sim runs. */
const NODE_PROGRAMS = [
  'sh',
  'bash',
  'dash',
  ...DEBIAN,
  '[',
  'ps',
  'ip',
  'ss',
  'curl',
  ...NETFILTER,
  'crictl',
  'watch',
];

/** kind's pod network: kube-proxy's clusterCIDR. */
const CLUSTER_CIDR = '10.244.0.0/16';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The netfilter tables of a node: kube-proxy's rules as that node's kube-proxy last wrote them. */
export function nodeNetfilter(ctx: SimContext, dataplane: Dataplane, nodeName: string): IptTable[] {
  const view = dataplane.kubeProxy.forNode(nodeName);
  const h = fnv32a(`${ctx.options.name}/${nodeName}`);
  return nodeTables(
    { nodeName, clusterCidr: CLUSTER_CIDR, services: view.services, endpointSlices: view.endpointSlices },
    { tcp: 32768 + (h % 28000), udp: 32768 + ((h >>> 16) % 28000) },
  );
}

/** The pods and containers containerd runs on the node, as crictl lists them. */
function criState(
  ctx: SimContext,
  kubelet: Kubelet,
  nodeName: string,
): { pods: CriPod[]; containers: CriContainer[] } {
  const pods: CriPod[] = [];
  const containers: CriContainer[] = [];
  for (const run of kubelet.runs.values()) {
    if (run.node !== nodeName || run.sandbox !== 'ready') continue;
    const podId = sha(`sandbox/${run.sandboxId}`);
    const created = run.startTime ?? ctx.clock.now();
    pods.push({
      id: podId,
      createdMs: created,
      state: run.stopping ? 'NotReady' : 'Ready',
      name: run.name,
      namespace: run.namespace,
      attempt: 0,
    });
    for (const c of run.containers.values()) {
      if (!c.containerID || c.state === 'waiting') continue;
      const image = c.app?.image.full ?? '';
      containers.push({
        id: c.containerID.replace(/^containerd:\/\//, ''),
        imageId: sha(`image/${image}`),
        image,
        createdMs: c.startedAt || created,
        state: c.state === 'running' ? 'Running' : 'Exited',
        name: c.name,
        attempt: c.restartCount,
        podId,
        pod: run.name,
        namespace: run.namespace,
      });
    }
  }
  return { pods, containers };
}

/** Every process of the node (`ps aux` after `chroot /host`): systemd, containerd, kubelet, the pods'. */
function nodeProcesses(ctx: SimContext, kubelet: Kubelet, nodeName: string, nodeIp: string) {
  const out: { pid: number; user: string; command: string }[] = [
    { pid: 1, user: 'root', command: '/sbin/init' },
    { pid: 94, user: 'root', command: '/lib/systemd/systemd-journald' },
    { pid: 105, user: 'root', command: '/usr/local/bin/containerd' },
    {
      pid: 215,
      user: 'root',
      command: `/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=${nodeIp} --node-labels= --pod-infra-container-image=registry.k8s.io/pause:3.10 --provider-id=kind://docker/${ctx.options.name}/${nodeName} --runtime-cgroups=/system.slice/containerd.service`,
    },
  ];
  let pid = 300;
  const runs = [...kubelet.runs.values()]
    .filter((r) => r.node === nodeName && r.sandbox === 'ready')
    .sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0));
  for (const run of runs) {
    const id = sha(`sandbox/${run.sandboxId}`);
    out.push({
      pid: pid++,
      user: 'root',
      command: `/usr/local/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${id} -address /run/containerd/containerd.sock`,
    });
    out.push({ pid: pid++, user: '65535', command: '/pause' });
    for (const c of run.containers.values()) {
      if (c.state !== 'running') continue;
      for (const p of c.app?.instance.processes ?? [])
        out.push({ pid: pid++, user: p.user, command: p.command });
    }
    pid += 7;
  }
  return out;
}

/** The node's files the sim knows; kindnet's CNI config when kindnet is the CNI (`podCidr` set). */
function nodeFiles(nodeName: string, podCidr: string): Record<string, string> {
  const files: Record<string, string> = {
    '/etc/hostname': `${nodeName}\n`,
    '/etc/hosts':
      '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n',
    '/etc/resolv.conf': 'nameserver 172.18.0.1\nsearch .\noptions edns0 trust-ad ndots:0\n',
    '/etc/os-release':
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
  };
  if (podCidr)
    files['/etc/cni/net.d/10-kindnet.conflist'] =
      `{\n\t"cniVersion": "0.4.0",\n\t"name": "kindnet",\n\t"plugins": [\n\t{\n\t\t"type": "ptp",\n\t\t"ipMasq": false,\n\t\t"ipam": {\n\t\t\t"type": "host-local",\n\t\t\t"dataDir": "/run/cni-ipam-state",\n\t\t\t"routes": [\n\t\t\t\t{ "dst": "0.0.0.0/0" }\n\t\t\t],\n\t\t\t"ranges": [\n\t\t\t[ { "subnet": "${podCidr}" } ]\n\t\t\t]\n\t\t},\n\t\t"mtu": 1500\n\t},\n\t{\n\t\t"type": "portmap",\n\t\t"capabilities": {\n\t\t\t"portMappings": true\n\t\t}\n\t}\n\t]\n}\n`;
  return files;
}

/**
 * The node as a shell sees it from inside its root (`kubectl debug node/NAME` then `chroot /host`):
 * the node's programs, files, processes, interfaces and routes, kube-proxy's netfilter tables and
 * the conntrack table; connections leave from the node's network (the hostNetwork debug pod's).
 */
export function nodeShellHost(
  ctx: SimContext,
  dataplane: Dataplane,
  kubelet: Kubelet,
  nodeName: string,
  via: { pod: V1Pod; host: ShellHost },
): ShellHost {
  const nodeIp = kubelet.nodeIp(nodeName);
  const vethOf = (uid: string) => `veth${fnv32a(uid).toString(16).padStart(8, '0')}`;
  const veths = [...kubelet.runs.values()]
    .filter((r) => r.node === nodeName && r.ip && r.ip !== nodeIp)
    .map((r) => ({
      name: vethOf(r.uid),
      addresses: [`${r.ip!.split('.').slice(0, 3).join('.')}.1/32`],
      mtu: 1500,
    }));
  return {
    pod: via.host.pod,
    container: via.host.container,
    hostname: nodeName,
    env: {},
    files: nodeFiles(
      nodeName,
      ctx.options.cni && ctx.options.cniPlugin === 'kindnet'
        ? String(
            (ctx.store.get('nodes', undefined, nodeName)?.spec as { podCIDR?: string } | undefined)
              ?.podCIDR ?? '',
          )
        : '',
    ),
    processes: nodeProcesses(ctx, kubelet, nodeName, nodeIp),
    listeners: via.host.listeners,
    interfaces: [
      { name: 'lo', addresses: ['127.0.0.1/8'], mtu: 65536 },
      { name: 'eth0', addresses: [`${nodeIp}/16`], mac: via.host.interfaces[1]?.mac ?? '', mtu: 1500 },
      ...veths,
    ],
    routes: nodeRoutes(ctx, nodeName, nodeIp),
    // `ip route add/del` on the node: the debug pod's CAP_NET_ADMIN decides, as in its own netns.
    ...(via.host.changeRoute
      ? {
          changeRoute(this: ShellHost, op: 'add' | 'del', args: string[]) {
            const r = via.host.changeRoute!.call(via.host, op, args);
            this.routes = nodeRoutes(ctx, nodeName, nodeIp);
            return r;
          },
        }
      : {}),
    resolve: (q) => via.host.resolve(q),
    connect: (h, p, proto) => via.host.connect(h, p, proto),
    http: (r) => via.host.http(r),
    programs: NODE_PROGRAMS,
    netfilter: () => nodeNetfilter(ctx, dataplane, nodeName),
    conntrack: () => dataplane.conntrack(nodeName),
    ...(via.host.netAdmin ? { netAdmin: true } : {}),
    cri: () => criState(ctx, kubelet, nodeName),
    ps: 'procps',
    prompt: 'dash',
  };
}
