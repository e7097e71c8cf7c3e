import { isIP } from 'node:net';
import type {
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1Pod,
  V1Probe,
  V1Service,
} from '@kubernetes/client-node';
import {
  buildNetModel,
  findNamedPort,
  isPodReady,
  type IndexedNetModel,
  type DnsAnswer,
  type Listener,
  type NetworkOptions,
  type Protocol,
  type ReachResult,
} from '@netlab/grader/netmodel';
import type { AppHttpRequest, AppHttpResponse, ListenerTls } from '../apps/app-model';
import type { StoreEvent } from '../store/object-store';
import { as, type SimContext } from '../runtime/context';
import type { Kubelet, ProbeOutcome, Prober } from '../runtime/kubelet';
import type { NodeNetworkController } from '../controllers/node-network.controller';
import type { ConntrackEntry, HttpOutcome, HttpRequest, ShellHost } from '../shell/shell-host';
import { corednsContainers } from '../controllers/coredns-reload.controller';
import { IngressProxy } from './ingress-proxy';
import { KubeProxyView } from './kube-proxy-view';
import { nodeRoutes } from './kindnet-routes';
import { withPodRoutes } from './node-routes';
import { GO_PLAIN_HTTP_TO_TLS, tlsGate } from './tls-handshake';
import { ServiceBalancer } from './service-balancer';
import { nodeShellHost } from './node-shell-host';
import { apiServerAt, isApiServerSocket, type InClusterApi } from './api-server-endpoint';

/** How many Service connections the conntrack tables remember, cluster-wide (oldest dropped first). */
const CONNTRACK_MAX = 64;
/** How long a closed TCP connection stays in TIME_WAIT, and a UDP flow without traffic, in seconds. */
const CONNTRACK_TCP_TIME_WAIT_S = 120;
const CONNTRACK_UDP_S = 30;

/** kind's Service CIDR (kubeadm's default 10.96.0.0/12). */
function inServiceRange(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b !== undefined && b >= 96 && b < 112;
}

/** A connection through a Service VIP, as the client node's conntrack recorded it. */
interface TrackedFlow {
  node: string;
  at: number;
  proto: 'tcp' | 'udp';
  src: string;
  sport: number;
  dst: string;
  dport: number;
  replySrc: string;
  replySport: number;
  assured: boolean;
}

const MODEL_RESOURCES = new Set([
  'pods',
  'networking.k8s.io/networkpolicies',
  'namespaces',
  'nodes',
  'apps/daemonsets',
]);

/** Runs an exec probe's command in the container (the emulated shell); resolves to exit code and output. */
export type ExecRunner = (
  pod: V1Pod,
  container: string,
  command: string[],
) => Promise<{ code: number; output: string }>;

/**
 * The sim's dataplane: every connection inside the cluster is decided by the networking model of
 * @netlab/grader (DNS, Service VIP → endpoint, targetPort, NetworkPolicy, listeners), built from the
 * store and the listeners of the running app models, and rebuilt only after something changed.
 */
export class Dataplane implements Prober {
  private model?: IndexedNetModel;
  private probeModel?: IndexedNetModel;
  /** Models for clients on nodes whose kube-proxy is gone (their frozen rules), by node. */
  private readonly frozenModels = new Map<string, IndexedNetModel>();
  /** The current state as if Service rules were programmed (for DNS through frozen rules). */
  private proxiedModel?: IndexedNetModel;
  private readonly flows: TrackedFlow[] = [];
  private clientPort = 40000;
  execRunner?: ExecRunner;
  /** The sim's API server, answering requests that reach kube-apiserver's socket (set by the cluster). */
  apiServer?: InClusterApi;
  /** Services and EndpointSlices as kube-proxy last synced them (Service traffic lags the store). */
  readonly kubeProxy: KubeProxyView;
  private readonly balancer: ServiceBalancer;
  /** ingress-nginx controllers' data path: HTTP on their port is routed by the Ingresses they serve. */
  private readonly ingress: IngressProxy;

  constructor(
    private readonly ctx: SimContext,
    private readonly kubelet: Kubelet,
    private readonly network: NodeNetworkController,
    kubeProxySyncMs = 0,
  ) {
    kubelet.onListenersChanged = () => this.invalidate();
    this.kubeProxy = new KubeProxyView(ctx, kubeProxySyncMs, () => this.invalidate());
    this.balancer = new ServiceBalancer(ctx.clock, ctx.random);
    this.ingress = new IngressProxy(ctx, kubelet, (from, request) => this.http(from, request));
  }

  onEvent(e: StoreEvent): void {
    if (this.kubeProxy.onEvent(e)) return;
    if (MODEL_RESOURCES.has(e.resource)) this.invalidate();
  }

  /** Drops the cached model; the next query rebuilds it. */
  invalidate(): void {
    this.model = undefined;
    this.probeModel = undefined;
    this.frozenModels.clear();
    this.proxiedModel = undefined;
  }

  /**
   * The model a connection from `from` follows: the cluster's, or, when the kube-proxy of the
   * client's node is gone, one built from the rules it left behind (Services as it last saw them).
   */
  private modelFor(from: { namespace: string; name: string }): IndexedNetModel {
    if (!this.kubeProxy.anyFrozen) return this.current();
    const pod = this.ctx.store.get('pods', from.namespace, from.name);
    const node = (pod?.spec as V1Pod['spec'])?.nodeName;
    const frozen = node ? this.kubeProxy.frozenState(node) : undefined;
    if (!node || !frozen) return this.current();
    let model = this.frozenModels.get(node);
    if (!model) {
      model = buildNetModel(
        { ...this.state(), services: frozen.services, endpointSlices: frozen.endpointSlices },
        { ...this.options(), serviceProxy: true },
      );
      this.frozenModels.set(node, model);
    }
    return model;
  }

  /**
   * The model DNS answers come from: CoreDNS reads the API (the current state), but a pod reaches it
   * through its node's rules, which still lead to kube-dns when that node's kube-proxy left them.
   */
  private dnsModel(from: { namespace: string; name: string }): IndexedNetModel {
    const model = this.modelFor(from);
    if (model === this.current() || this.options().serviceProxy) return this.current();
    return (this.proxiedModel ??= buildNetModel(this.state(), { ...this.options(), serviceProxy: true }));
  }

  /** The conntrack table of a node: its clients' recent Service connections, newest first. */
  conntrack(node: string): ConntrackEntry[] {
    const now = this.ctx.clock.now();
    const out: ConntrackEntry[] = [];
    for (const f of this.flows) {
      if (f.node !== node) continue;
      const life = f.proto === 'tcp' ? CONNTRACK_TCP_TIME_WAIT_S : CONNTRACK_UDP_S;
      const left = life - Math.floor((now - f.at) / 1000);
      if (left <= 0) continue;
      out.push({
        proto: f.proto,
        timeout: left,
        ...(f.proto === 'tcp' ? { state: f.assured ? 'TIME_WAIT' : 'SYN_SENT' } : {}),
        src: f.src,
        dst: f.dst,
        sport: f.sport,
        dport: f.dport,
        replySrc: f.replySrc,
        replySport: f.replySport,
        assured: f.assured,
      });
    }
    return out.reverse();
  }

  /** The node's own shell (`chroot /host` in a node debug pod), reached through the pod `via`. */
  nodeShell(nodeName: string, via: { pod: V1Pod; host: ShellHost }): ShellHost {
    return nodeShellHost(this.ctx, this, this.kubelet, nodeName, via);
  }

  /** Every socket the running containers listen on. */
  listeners(): Listener[] {
    const out: Listener[] = [];
    for (const run of this.kubelet.runs.values()) {
      for (const c of run.containers.values()) {
        if (c.state !== 'running' || !c.app) continue;
        for (const l of c.app.instance.listeners)
          out.push({ namespace: run.namespace, pod: run.name, container: c.name, ...l });
      }
    }
    return out;
  }

  /** Cluster facts the model needs: DNS up (CoreDNS ready), kube-proxy running, policy enforced. */
  options(): NetworkOptions {
    const { store } = this.ctx;
    const pods = store.list('pods', 'kube-system').map((p) => as<V1Pod>(p));
    const dnsAvailable = pods.some(
      (p) =>
        p.metadata?.labels?.['k8s-app'] === 'kube-dns' && isPodReady(p) && !p.metadata?.deletionTimestamp,
    );
    const serviceProxy = pods.some(
      (p) =>
        p.metadata?.labels?.['k8s-app'] === 'kube-proxy' &&
        p.status?.phase === 'Running' &&
        !p.metadata?.deletionTimestamp,
    );
    return {
      dnsAvailable,
      serviceProxy,
      policyEnforced: this.network.policyEnforced(),
      listeners: { mode: 'exact', listeners: this.listeners() },
    };
  }

  /** The current model (built on demand). */
  current(): IndexedNetModel {
    return (this.model ??= buildNetModel(this.state(), this.options()));
  }

  private state() {
    const { store } = this.ctx;
    return {
      namespaces: store.list('namespaces').map((o) => as<V1Namespace>(o)),
      pods: store.list('pods').map((o) => as<V1Pod>(o)),
      services: this.kubeProxy.services(),
      endpointSlices: this.kubeProxy.endpointSlices(),
      networkPolicies: store.list('networking.k8s.io/networkpolicies').map((o) => as<V1NetworkPolicy>(o)),
      nodes: store.list('nodes').map((o) => as<V1Node>(o)),
    };
  }

  /** A DNS query from a pod as CoreDNS answers it; with the Corefile's `log` plugin, one CoreDNS logs it. */
  resolve(from: { namespace: string; name: string }, query: string): DnsAnswer {
    const answer = this.dnsModel(from).resolve(query, { pod: from });
    const loggers = corednsContainers(this.kubelet).filter((c) => c.app?.instance.dns?.log);
    if (loggers.length > 0 && answer.rcode !== 'SERVFAIL') {
      const c = loggers[Math.floor(this.ctx.random.next() * loggers.length)]!;
      const ip = String(
        (this.ctx.store.get('pods', from.namespace, from.name)?.status as V1Pod['status'])?.podIP ?? '',
      );
      const name = `${answer.fqdn ?? query}`.replace(/\.?$/, '.');
      const id = Math.floor(this.ctx.random.next() * 65536);
      const size = 29 + name.length;
      const took = (0.00005 + this.ctx.random.next() * 0.0003).toFixed(9);
      c.logs.append(
        this.ctx.clock.now(),
        `[INFO] ${ip}:${this.nextClientPort()} - ${id} "A IN ${name} udp ${size} false 512" ${answer.rcode} qr,aa,rd ${size + answer.records.length * 16 + 13} ${took}s`,
      );
    }
    return answer;
  }

  /** Can `pod` open a connection to host:port? `host` is a name (resolved from the pod) or an IP. */
  connect(
    from: { namespace: string; name: string },
    host: string,
    port: number,
    protocol: Protocol = 'TCP',
    track = true,
  ): ReachResult {
    const model = this.modelFor(from);
    let to: { ip: string } | { dns: string } =
      host === 'localhost' ? { ip: '127.0.0.1' } : isIP(host) ? { ip: host } : { dns: host };
    if (model !== this.current() && 'dns' in to) {
      // CoreDNS answers from the API, not from the node's stale rules: resolve first, then route.
      const answer = this.dnsModel(from).resolve(host, { pod: from });
      const a = answer.records.find((r) => r.type === 'A');
      if (a) to = { ip: a.value };
    }
    const unprogrammed = 'ip' in to ? this.unprogrammedVip(model, to.ip) : undefined;
    if (unprogrammed) return unprogrammed;
    const result = model.reach({ from: { pod: from }, to, port, protocol });
    const chosen = withPodRoutes(this.ctx, from, this.balance(from, host, result, protocol), (node) =>
      nodeRoutes(this.ctx, node, this.kubelet.nodeIp(node)),
    );
    // curl and wget open the connection (connect) before they send (http): count it once.
    if (track) this.track(from, host, port, protocol, chosen);
    return chosen;
  }

  /**
   * A connection to an address of the Service range that the client node's kube-proxy never
   * programmed (its kube-proxy is gone): no rule rewrites it, so it follows the default route out of
   * the cluster and nothing answers.
   */
  private unprogrammedVip(model: IndexedNetModel, ip: string): ReachResult | undefined {
    if (model === this.current() || !inServiceRange(ip)) return undefined;
    const frozen = this.frozenServices(model);
    if (frozen.some((s) => s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip)))
      return undefined;
    return {
      allowed: false,
      verdict: 'unreachable',
      path: [
        {
          step: 'service',
          ok: false,
          detail: `no kube-proxy rule for ${ip} on the client's node: its kube-proxy is not running, and the rules it left predate this Service`,
        },
      ],
      reason: `${ip} is not programmed on the client's node (kube-proxy is not running there)`,
    };
  }

  private frozenServices(model: IndexedNetModel): V1Service[] {
    for (const [node, m] of this.frozenModels)
      if (m === model) return this.kubeProxy.frozenState(node)?.services ?? [];
    return [];
  }

  /** Records a connection through a Service VIP in the client node's conntrack table. */
  private track(
    from: { namespace: string; name: string },
    host: string,
    port: number,
    protocol: Protocol,
    result: ReachResult,
  ): void {
    if (!result.backends || (protocol !== 'TCP' && protocol !== 'UDP')) return;
    const pod = this.ctx.store.get('pods', from.namespace, from.name);
    const spec = pod?.spec as V1Pod['spec'];
    const src = String((pod?.status as V1Pod['status'])?.podIP ?? '');
    const svc = this.serviceAt(from, host);
    const dst = isIP(host) ? host : svc?.spec?.clusterIP;
    if (!spec?.nodeName || !src || !dst) return;
    const backend = result.backend ?? result.backends[0];
    this.flows.push({
      node: spec.nodeName,
      at: this.ctx.clock.now(),
      proto: protocol === 'TCP' ? 'tcp' : 'udp',
      src,
      sport: this.nextClientPort(),
      dst,
      dport: port,
      replySrc: backend?.ip ?? dst,
      replySport: backend?.port ?? port,
      assured: result.verdict === 'connected',
    });
    if (this.flows.length > CONNTRACK_MAX) this.flows.shift();
  }

  /**
   * A new connection through a Service lands on one endpoint drawn by kube-proxy (random, or sticky
   * per client IP with sessionAffinity ClientIP); the model's answer is redrawn for that endpoint.
   */
  private balance(
    from: { namespace: string; name: string },
    host: string,
    result: ReachResult,
    protocol: Protocol,
  ): ReachResult {
    const backends = result.backends;
    if (backends?.length === 1 && this.isDeadPodIp(backends[0]!.ip))
      return this.deadEndpoint(result, backends[0]!.ip);
    if (!backends || backends.length < 2) return result;
    const model = this.modelFor(from);
    const clientIp = String(
      (this.ctx.store.get('pods', from.namespace, from.name)?.status as V1Pod['status'])?.podIP ?? '',
    );
    const chosen = this.balancer.pick(this.serviceAt(from, host), clientIp, backends)!;
    if (this.isDeadPodIp(chosen.ip)) return this.deadEndpoint(result, chosen.ip);
    if (result.backend?.ip === chosen.ip && result.backend.port === chosen.port) return result;
    const direct = model.reach({ from: { pod: from }, to: { ip: chosen.ip }, port: chosen.port, protocol });
    if (direct.verdict !== chosen.verdict) return result; // e.g. SNAT through a node: keep the model's own path
    const upToEndpoints = result.path.slice(0, result.path.findIndex((l) => l.step === 'endpoints') + 1);
    return {
      ...direct,
      path: [...upToEndpoints, ...direct.path],
      backends,
      ...(chosen.pod
        ? { backend: { namespace: chosen.namespace, pod: chosen.pod, ip: chosen.ip, port: chosen.port } }
        : {}),
    };
  }

  /**
   * Whether `ip` is in the Pod network but no Pod has it (rules left by a stopped kube-proxy, or the
   * moment before a sync): nothing answers there, as no veth routes it.
   */
  private isDeadPodIp(ip: string): boolean {
    const [a, b] = ip.split('.').map(Number);
    if (a !== 10 || b !== 244) return false;
    return !this.ctx.store
      .list('pods')
      .some((p) => (p.status as V1Pod['status'])?.podIP === ip && !(p.spec as V1Pod['spec'])?.hostNetwork);
  }

  private deadEndpoint(result: ReachResult, ip: string): ReachResult {
    const upToEndpoints = result.path.slice(0, result.path.findIndex((l) => l.step === 'endpoints') + 1);
    return {
      allowed: false,
      verdict: 'unreachable',
      path: [
        ...upToEndpoints,
        {
          step: 'target-port',
          ok: false,
          detail: `the rule sends to ${ip}, which no Pod has any more (kube-proxy has not reprogrammed it)`,
        },
      ],
      reason: `the Service's rules point at ${ip}, a Pod IP that no longer exists`,
      ...(result.backends ? { backends: result.backends } : {}),
    };
  }

  /** The Service a connection to `host` goes to, as kube-proxy has it programmed (by VIP or DNS name). */
  private serviceAt(from: { namespace: string; name: string }, host: string): V1Service | undefined {
    let ips = [host];
    if (!isIP(host)) {
      const answer = this.current().resolve(host, { pod: from });
      ips = answer.records.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.value);
    }
    return this.kubeProxy
      .services()
      .find((s) => ips.some((ip) => s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip)));
  }

  /** An HTTP request from a pod, answered by the app model of the backend it reaches. */
  async http(
    from: { namespace: string; name: string; ip?: string },
    request: HttpRequest,
  ): Promise<HttpOutcome> {
    const url = new URL(request.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const connection = this.connect(from, host, port, 'TCP', false);
    if (!connection.allowed || connection.verdict !== 'connected') return { kind: 'failure', connection };
    const backend = connection.backend;
    const target =
      backend ??
      (host === 'localhost' || host.startsWith('127.')
        ? { namespace: from.namespace, pod: from.name, ip: '127.0.0.1', port }
        : undefined) ??
      this.apiServerBehind(connection, host, port);
    if (!target) return { kind: 'failure', connection };
    const https = url.protocol === 'https:';
    const gate = tlsGate(https, this.listenerTls(target.namespace, target.pod, target.port), request);
    if (gate === 'go-400')
      return { kind: 'response', ...GO_PLAIN_HTTP_TO_TLS, remote: { ip: target.ip, port } };
    if (gate) return { kind: 'failure', connection, tls: gate };
    const req: AppHttpRequest = {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      ...(request.body !== undefined ? { body: request.body } : {}),
      client: {
        ip: target.ip.startsWith('127.') ? '127.0.0.1' : (from.ip ?? ''),
        port: this.nextClientPort(),
      },
      local: { ip: target.ip, port: target.port },
      ...(https ? { tls: true } : {}),
    };
    const answer =
      (await this.ingress.serve(target.namespace, target.pod, target.port, req)) ??
      (this.apiServer && isApiServerSocket(this.ctx, this.kubelet, target.namespace, target.pod, target.port)
        ? await this.apiServer(req)
        : this.answer(target.namespace, target.pod, target.port, req));
    if (!answer) return { kind: 'failure', connection };
    return { kind: 'response', ...answer, remote: { ip: connection.backend?.ip ?? target.ip, port } };
  }

  /** kube-apiserver's hostNetwork socket, when the connection ends at a node address (directly or via a Service). */
  private apiServerBehind(connection: ReachResult, host: string, port: number) {
    const end = connection.backends?.[0] ?? (isIP(host) ? { ip: host, port } : undefined);
    return end && apiServerAt(this.ctx, this.kubelet, end.ip, end.port);
  }

  /** The TLS settings of the socket listening on `port` in the pod, if it speaks TLS. */
  private listenerTls(namespace: string, podName: string, port: number): ListenerTls | undefined {
    const pod = this.ctx.store.get('pods', namespace, podName);
    const run = pod && this.kubelet.runOf(pod.metadata.uid);
    for (const c of run?.containers.values() ?? []) {
      if (c.state !== 'running') continue;
      const l = c.app?.instance.listeners.find((x) => x.port === port && x.protocol === 'TCP');
      if (l) return l.tls;
    }
    return undefined;
  }

  private nextClientPort(): number {
    this.clientPort = this.clientPort >= 60999 ? 40000 : this.clientPort + 1;
    return this.clientPort;
  }

  /** Hands a request to the app listening on `port` in the pod, logging what it logs. */
  private answer(
    namespace: string,
    podName: string,
    port: number,
    req: AppHttpRequest,
  ): AppHttpResponse | undefined {
    const pod = this.ctx.store.get('pods', namespace, podName);
    const run = pod && this.kubelet.runOf(pod.metadata.uid);
    if (!run) return undefined;
    for (const c of run.containers.values()) {
      if (c.state !== 'running' || !c.app?.instance.http) continue;
      if (!c.app.instance.listeners.some((l) => l.port === port && l.protocol === 'TCP')) continue;
      const result = c.app.instance.http(port, req);
      if (c.app.instance.exitAfterConnection) {
        const instance = c.app;
        this.ctx.clock.setTimer(0, () => {
          if (c.app === instance) this.kubelet.containerExited(run, c, 0);
        });
      }
      if (!result) return undefined;
      const now = this.ctx.clock.now();
      for (const line of result.log) c.logs.append(now, line);
      return result.response;
    }
    return undefined;
  }

  /** A kubelet probe: from the node to the pod, policy not applied (host traffic is always allowed). */
  async probe(pod: V1Pod, container: string, probe: V1Probe): Promise<ProbeOutcome> {
    const ip = pod.status?.podIP ?? '';
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    if (probe.exec) {
      if (!this.execRunner) return { ok: true, message: '' };
      const { code, output } = await this.execRunner(pod, container, probe.exec.command ?? []);
      return {
        ok: code === 0,
        message:
          output ||
          (code === 0
            ? ''
            : `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} exited with ${code}`),
      };
    }
    const action = probe.httpGet ?? probe.tcpSocket;
    if (!action) return { ok: true, message: '' };
    const rawPort = action.port as number | string;
    const port =
      typeof rawPort === 'number'
        ? rawPort
        : /^\d+$/.test(rawPort)
          ? Number(rawPort)
          : findNamedPort(pod, rawPort, 'TCP');
    const host = (probe.httpGet?.host || probe.tcpSocket?.host) ?? ip;
    if (port === undefined) return { ok: false, message: `unable to find port "${rawPort}"` };
    const model = (this.probeModel ??= buildNetModel(this.state(), {
      ...this.options(),
      policyEnforced: false,
    }));
    // The status write that records hostIP may still be queued when a fresh container's probe runs.
    const hostIp = pod.status?.hostIP || this.kubelet.nodeIp(pod.spec?.nodeName ?? '');
    const reach = model.reach({
      from: { ip: hostIp },
      to: { pod: { namespace: ns, name } },
      port,
      protocol: 'TCP',
    });
    const addr = `${host}:${port}`;
    const dialError =
      reach.verdict === 'refused'
        ? `dial tcp ${addr}: connect: connection refused`
        : `dial tcp ${addr}: i/o timeout`;
    if (probe.tcpSocket)
      return reach.verdict === 'connected' ? { ok: true, message: '' } : { ok: false, message: dialError };
    const get = probe.httpGet!;
    const scheme = (get.scheme ?? 'HTTP').toLowerCase();
    const path = get.path || '/';
    const url = `${scheme}://${addr}${path.startsWith('/') ? path : `/${path}`}`;
    if (reach.verdict !== 'connected') {
      const why =
        reach.verdict === 'refused'
          ? dialError
          : 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
      return { ok: false, message: `Get "${url}": ${why}` };
    }
    const headers: Record<string, string> = {
      host: addr,
      'user-agent': `kube-probe/${this.ctx.options.version.replace(/^v/, '').split('.').slice(0, 2).join('.')}`,
      accept: '*/*',
    };
    for (const h of get.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
    // The kubelet speaks TLS for scheme HTTPS without verifying the certificate (Go's client).
    const tls = this.listenerTls(ns, name, port);
    if (scheme === 'https' && !tls)
      return { ok: false, message: `Get "${url}": http: server gave HTTP response to HTTPS client` };
    if (scheme === 'http' && tls?.plainHttp === 'close') return { ok: false, message: `Get "${url}": EOF` };
    if (scheme === 'http' && tls?.plainHttp === 'go')
      return { ok: false, message: 'HTTP probe failed with statuscode: 400' };
    const response = this.answer(ns, name, port, {
      method: 'GET',
      path,
      headers,
      client: { ip: hostIp, port: this.nextClientPort() },
      local: { ip, port },
      ...(scheme === 'https' ? { tls: true } : {}),
    });
    if (!response) return { ok: false, message: `Get "${url}": EOF` };
    if (response.status >= 200 && response.status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${response.status}` };
  }
}
