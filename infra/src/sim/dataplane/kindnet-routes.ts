import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { as, type SimContext } from '../runtime/context';
import { fnv32a } from '../runtime/names';
import { effectiveRemovals, nodeRouteChanges } from './node-routes';

/** The docker network kind's nodes sit on, and its gateway. */
const NODE_NETWORK = '172.18.0.0/16';
const NODE_GATEWAY = '172.18.0.1';

/**
 * A pod's routes as kindnet's ptp plugin sets them (`ip route` in the pod): the default route and
 * the node's pod subnet via the node-side gateway, and the gateway itself on the link.
 */
export function podRoutes(ip: string): string[] {
  const subnet = ip.split('.').slice(0, 3).join('.');
  return [
    `default via ${subnet}.1 dev eth0`,
    `${subnet}.0/24 via ${subnet}.1 dev eth0 src ${ip}`,
    `${subnet}.1 dev eth0 scope link src ${ip}`,
  ];
}

/**
 * A node's main routing table (`ip route` in a hostNetwork pod or on the node), as kindnet programs
 * it: the docker network, one route per other node's pod CIDR via that node's IP, and one host route
 * per local pod to its veth, less the routes deleted by hand while kindnet was not running there.
 * Other CNIs: the docker network only.
 */
export function nodeRoutes(ctx: SimContext, nodeName: string | undefined, nodeIp: string): string[] {
  const routes: { dest: string; line: string }[] = [
    { dest: NODE_NETWORK, line: `${NODE_NETWORK} dev eth0 proto kernel scope link src ${nodeIp}` },
  ];
  if (ctx.options.cni && ctx.options.cniPlugin === 'kindnet') {
    for (const node of ctx.store.list('nodes').map((n) => as<V1Node>(n))) {
      const cidr = node.spec?.podCIDR;
      const via = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      if (!cidr || !via || node.metadata?.name === nodeName) continue;
      routes.push({ dest: cidr, line: `${cidr} via ${via} dev eth0` });
    }
    for (const pod of ctx.store.list('pods').map((p) => as<V1Pod>(p))) {
      const ip = pod.status?.podIP;
      if (pod.spec?.nodeName !== nodeName || pod.spec?.hostNetwork || !ip) continue;
      const veth = `veth${fnv32a(pod.metadata?.uid ?? ip)
        .toString(16)
        .padStart(8, '0')}`;
      routes.push({ dest: ip, line: `${ip} dev ${veth} scope host` });
    }
  }
  // Routes deleted or added by hand (`ip route` in a privileged hostNetwork container).
  const removed = effectiveRemovals(ctx, nodeName);
  if (nodeName)
    for (const line of nodeRouteChanges(ctx).addedOn(nodeName))
      routes.push({ dest: line.split(' ')[0]!, line });
  const kept = routes.filter((r) => !removed.has(r.dest));
  kept.sort((a, b) => addressKey(a.dest) - addressKey(b.dest));
  return [
    ...(removed.has('default') ? [] : [`default via ${NODE_GATEWAY} dev eth0`]),
    ...kept.map((r) => r.line),
  ];
}

function addressKey(dest: string): number {
  return dest
    .split('/')[0]!
    .split('.')
    .reduce((n, o) => n * 256 + Number(o), 0);
}
