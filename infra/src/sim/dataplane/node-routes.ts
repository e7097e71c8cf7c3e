import type { V1Container, V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ReachResult } from '@netlab/grader/netmodel';
import { detectCni } from '../controllers/cni-detector';
import { as, type SimContext } from '../runtime/context';

/**
 * The hand-made changes to each node's routing table (`ip route del` / `ip route add` from a
 * privileged hostNetwork container): routes taken out of what kindnet programs, and routes added.
 * kindnet puts its routes back whenever its agent runs on the node (it re-syncs them on start and
 * every few seconds), so a removal only lasts while kindnet is not running there.
 */
export class NodeRouteChanges {
  private readonly removed = new Map<string, Set<string>>();
  private readonly added = new Map<string, Map<string, string>>();

  /** Destinations removed from the node's table that are still missing. */
  removedOn(node: string): ReadonlySet<string> {
    return this.removed.get(node) ?? new Set();
  }

  /** Route lines added by hand on the node. */
  addedOn(node: string): string[] {
    return [...(this.added.get(node)?.values() ?? [])];
  }

  remove(node: string, dest: string): void {
    if (this.added.get(node)?.delete(dest)) return;
    let set = this.removed.get(node);
    if (!set) this.removed.set(node, (set = new Set()));
    set.add(dest);
  }

  add(node: string, dest: string, line: string): void {
    if (this.removed.get(node)?.delete(dest)) return;
    let map = this.added.get(node);
    if (!map) this.added.set(node, (map = new Map()));
    map.set(dest, line);
  }

  /** kindnet re-programmed the node: its own routes are back. */
  restore(node: string): void {
    this.removed.delete(node);
  }
}

const tables = new WeakMap<SimContext, NodeRouteChanges>();

/** The route changes of one cluster. */
export function nodeRouteChanges(ctx: SimContext): NodeRouteChanges {
  let t = tables.get(ctx);
  if (!t) tables.set(ctx, (t = new NodeRouteChanges()));
  return t;
}

/** Whether a kindnet agent Pod is running on the node (it then keeps the node's routes programmed). */
export function kindnetRunningOn(ctx: SimContext, node: string): boolean {
  return ctx.store.list('pods', 'kube-system').some((p) => {
    const pod = as<V1Pod>(p);
    if (pod.spec?.nodeName !== node || pod.status?.phase !== 'Running' || pod.metadata?.deletionTimestamp)
      return false;
    const owner = pod.metadata?.ownerReferences?.find((r) => r.kind === 'DaemonSet');
    const ds = owner && ctx.store.get('apps/daemonsets', 'kube-system', owner.name);
    return ds !== undefined && detectCni(as<V1DaemonSet>(ds)) === 'kindnet';
  });
}

/** The removals in effect on a node: none once kindnet runs there again. */
export function effectiveRemovals(ctx: SimContext, node: string | undefined): ReadonlySet<string> {
  if (!node) return new Set();
  const changes = nodeRouteChanges(ctx);
  if (changes.removedOn(node).size > 0 && kindnetRunningOn(ctx, node)) changes.restore(node);
  return changes.removedOn(node);
}

/** What `ip route add|del` answers, as iproute2/busybox word it. */
export interface RouteChangeResult {
  code: number;
  stderr: string;
}

/**
 * `ip route del|add DEST [via GW] [dev DEV]` in a container that shares the node's network
 * namespace: needs CAP_NET_ADMIN; `routes` is the node's current table (as `ip route` prints it).
 */
export function changeNodeRoute(
  ctx: SimContext,
  node: string,
  routes: readonly string[],
  op: 'add' | 'del',
  args: readonly string[],
  netAdmin: boolean,
): RouteChangeResult {
  const words = args.filter((a) => a !== 'to');
  const dest = words[0];
  if (!dest) return { code: 1, stderr: 'ip: RTNETLINK answers: Invalid argument\n' };
  if (!netAdmin) return { code: 2, stderr: 'RTNETLINK answers: Operation not permitted\n' };
  const normal = dest === '0.0.0.0/0' ? 'default' : dest;
  const exists = routes.some((r) => r.split(' ')[0] === normal);
  const changes = nodeRouteChanges(ctx);
  if (op === 'del') {
    if (!exists) return { code: 2, stderr: 'RTNETLINK answers: No such process\n' };
    changes.remove(node, normal);
    return { code: 0, stderr: '' };
  }
  if (exists) return { code: 2, stderr: 'RTNETLINK answers: File exists\n' };
  const via = words[words.indexOf('via') + 1];
  const dev = words.includes('dev') ? words[words.indexOf('dev') + 1] : 'eth0';
  changes.add(node, normal, `${normal}${words.includes('via') && via ? ` via ${via}` : ''} dev ${dev}`);
  return { code: 0, stderr: '' };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0) >>> 0;
}

/** Whether `ip` falls in `cidr` (`default` covers everything). */
export function inCidr(ip: string, cidr: string): boolean {
  if (cidr === 'default') return true;
  const [base, bits] = cidr.split('/');
  const n = bits === undefined ? 32 : Number(bits);
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base!) & mask) >>> 0;
}

/**
 * Whether packets from `node` to the Pod IP `ip` on another node find their way: the node needs a
 * route (kindnet's, or one added by hand) whose destination covers the Pod's subnet; without one
 * they leave by the default route to the Docker bridge and are lost. Only kindnet clusters route
 * Pod subnets this way; anything else passes.
 */
export function podRouteMissing(
  ctx: SimContext,
  node: string,
  ip: string,
  routesOf: (node: string) => string[],
): string | undefined {
  const owner = ctx.store
    .list('nodes')
    .map((n) => as<V1Node>(n))
    .find((n) => n.spec?.podCIDR && inCidr(ip, n.spec.podCIDR));
  if (!owner || owner.metadata?.name === node) return undefined;
  const covered = routesOf(node).some((line) => {
    const dest = line.split(' ')[0]!;
    return dest !== 'default' && /\//.test(dest) && inCidr(ip, dest) && / via /.test(line);
  });
  if (covered) return undefined;
  return `node ${node} has no route to ${owner.spec!.podCIDR} (the Pod subnet of ${owner.metadata?.name}): packets for ${ip} leave by the default route and are lost`;
}

/**
 * A connection the model found open, checked against the nodes' routing tables both ways: the
 * client's node must route to the server Pod's subnet, and the server's node back to the client's.
 */
export function withPodRoutes(
  ctx: SimContext,
  from: { namespace: string; name: string },
  result: ReachResult,
  routesOf: (node: string) => string[],
): ReachResult {
  if (!ctx.options.cni || ctx.options.cniPlugin !== 'kindnet') return result;
  if (result.verdict !== 'connected' && result.verdict !== 'refused') return result;
  const backend = result.backend;
  if (!backend?.pod) return result;
  const client = ctx.store.get('pods', from.namespace, from.name);
  const server = ctx.store.get('pods', backend.namespace, backend.pod);
  const clientNode = (client?.spec as V1Pod['spec'])?.nodeName;
  const serverNode = (server?.spec as V1Pod['spec'])?.nodeName;
  if (!clientNode || !serverNode || clientNode === serverNode) return result;
  const clientIp = (client?.status as V1Pod['status'])?.podIP ?? '';
  const serverIp = (server?.status as V1Pod['status'])?.podIP ?? backend.ip;
  const there = (server?.spec as V1Pod['spec'])?.hostNetwork
    ? undefined
    : podRouteMissing(ctx, clientNode, serverIp, routesOf);
  const back = (client?.spec as V1Pod['spec'])?.hostNetwork
    ? undefined
    : podRouteMissing(ctx, serverNode, clientIp, routesOf);
  const gap = there ?? (back ? `the answer cannot come back: ${back}` : undefined);
  if (!gap) return result;
  return {
    ...result,
    allowed: false,
    verdict: 'blocked',
    reason: gap,
    path: [...result.path, { step: 'route', ok: false, detail: gap }],
  };
}

/** CAP_NET_ADMIN, which changing routes needs: a privileged container, or one that adds the capability. */
export function containerNetAdmin(spec: V1Container | undefined): boolean {
  const sc = spec?.securityContext;
  return (
    Boolean(sc?.privileged) ||
    (sc?.capabilities?.add ?? []).some((c) => c.replace(/^CAP_/, '') === 'NET_ADMIN')
  );
}
