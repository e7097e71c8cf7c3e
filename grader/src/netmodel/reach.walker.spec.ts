import type { V1EndpointSlice } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { buildNetModel, explain } from './net-model';
import { aCluster, aNode, aPod, aPolicy, aService, type PodOptions } from './netmodel.factories';
import { ReachWalker } from './reach.walker';
import type {
  ClusterState,
  Destination,
  NetworkOptions,
  PathStep,
  ReachQuery,
  Source,
  Verdict,
} from './types';

const http = [{ name: 'http', containerPort: 8080 }];
const web = (name: string, ip: string, o: PodOptions = {}) =>
  aPod('shop', name, { app: 'web' }, { ip, ports: http, ...o });
const client = aPod('shop', 'client', { app: 'client' }, { ip: '10.244.1.2', node: 'node-1' });
const webService = (spec = {}) =>
  aService('shop', 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }], {
    clusterIP: '10.96.1.1',
    ...spec,
  });
const fromClient: Source = { pod: { namespace: 'shop', name: 'client' } };
const byName: Destination = { dns: 'web' };

interface Row {
  rule: string;
  state: Partial<ClusterState>;
  from?: Source;
  to?: Destination;
  port?: number | string;
  options?: NetworkOptions;
  verdict: Verdict;
  step?: PathStep;
  reason?: string | RegExp;
}

const manualSlice: V1EndpointSlice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'manual-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'manual' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
};

const rows: Row[] = [
  {
    rule: 'a Service name reaches a ready backend on its targetPort',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    verdict: 'connected',
  },
  {
    rule: 'a selector that matches no Pod leaves the Service without endpoints: REJECT',
    state: {
      pods: [client, web('web-1', '10.244.1.5')],
      services: [aService('shop', 'web', { app: 'web-frontend' }, [{ port: 80, targetPort: 'http' }])],
    },
    verdict: 'refused',
    step: 'endpoints',
    reason:
      'Service shop/web selects app=web-frontend, but no Pod in shop has that label; its Pods have app=web, app=client',
  },
  {
    rule: 'Pods that are not Ready are not endpoints',
    state: { pods: [client, web('web-1', '10.244.1.5', { ready: false })], services: [webService()] },
    verdict: 'refused',
    step: 'endpoints',
    reason: /none of them is Ready/,
  },
  {
    rule: 'kube-proxy falls back to serving, terminating endpoints when none is ready',
    state: { pods: [client, web('web-1', '10.244.1.5', { deleting: true })], services: [webService()] },
    verdict: 'connected',
  },
  {
    rule: 'terminating endpoints that are not serving are never used',
    state: {
      pods: [client, web('web-1', '10.244.1.5', { deleting: true, ready: false })],
      services: [webService()],
    },
    verdict: 'refused',
    reason: /terminating and none is serving/,
  },
  {
    rule: 'a named targetPort that no Pod declares gives no endpoints',
    state: {
      pods: [
        client,
        aPod(
          'shop',
          'web-1',
          { app: 'web' },
          { ip: '10.244.1.5', ports: [{ name: 'web', containerPort: 8080 }] },
        ),
      ],
      services: [webService()],
    },
    verdict: 'refused',
    reason:
      'sends to targetPort "http", but no selected Pod (web-1) has a container port named "http" for TCP; they declare web=8080/TCP',
  },
  {
    rule: 'a Service port that does not exist forwards nothing',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    port: 8080,
    verdict: 'unreachable',
    step: 'service',
    reason: /has no port 8080 for TCP \(it exposes 80\/TCP \(http\)\)/,
  },
  {
    rule: 'a Service port can be named',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    port: 'http',
    verdict: 'connected',
  },
  {
    rule: 'without kube-proxy a ClusterIP goes nowhere',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    options: { serviceProxy: false },
    verdict: 'unreachable',
    reason: /kube-proxy is not running/,
  },
  {
    rule: 'a ClusterIP can be addressed by IP',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    to: { ip: '10.96.1.1' },
    verdict: 'connected',
  },
  {
    rule: 'a Service without a selector and without slices has no endpoints',
    state: {
      pods: [client],
      services: [
        aService('shop', 'manual', undefined, [{ name: 'http', port: 80 }], { clusterIP: '10.96.1.9' }),
      ],
    },
    to: { dns: 'manual' },
    verdict: 'refused',
    reason: /has no selector/,
  },
  {
    rule: 'a Service without a selector uses EndpointSlices made by hand',
    state: {
      pods: [client, web('web-1', '10.244.1.5')],
      services: [
        aService('shop', 'manual', undefined, [{ name: 'http', port: 80 }], { clusterIP: '10.96.1.9' }),
      ],
      endpointSlices: [manualSlice],
    },
    to: { dns: 'manual' },
    verdict: 'connected',
  },
  {
    rule: 'a headless Service: the client connects to a Pod IP on its own port',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService({ clusterIP: 'None' })] },
    port: 8080,
    verdict: 'connected',
  },
  {
    rule: 'a headless Service gives no translation: port 80 is not open on the Pod',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService({ clusterIP: 'None' })] },
    port: 80,
    verdict: 'refused',
    step: 'listener',
  },
  {
    rule: 'an ExternalName Service leaves the cluster',
    state: {
      pods: [client],
      services: [
        aService('shop', 'ext', undefined, [], { type: 'ExternalName', externalName: 'example.com' }),
      ],
    },
    to: { dns: 'ext' },
    verdict: 'unreachable',
    reason: /outside the cluster/,
  },
  {
    rule: 'a missing Service does not resolve',
    state: { pods: [client] },
    verdict: 'nxdomain',
    step: 'dns',
    reason: /there is no Service web in namespace shop/,
  },
  {
    rule: 'a destination Pod without an IP has no route',
    state: { pods: [client, web('web-1', '', { ip: null })] },
    to: { pod: { namespace: 'shop', name: 'web-1' } },
    port: 8080,
    verdict: 'unreachable',
    step: 'route',
    reason: /has no IP \(phase Pending/,
  },
  {
    rule: 'a source Pod without an IP cannot send',
    state: { pods: [aPod('shop', 'client', {}, { ip: null }), web('web-1', '10.244.1.5')] },
    to: { pod: { namespace: 'shop', name: 'web-1' } },
    port: 8080,
    verdict: 'unreachable',
    step: 'route',
  },
  {
    rule: 'an app bound to 127.0.0.1 refuses connections to the Pod IP',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    options: {
      listeners: {
        mode: 'declared',
        hints: [{ namespace: 'shop', pod: 'web-1', address: '127.0.0.1', port: 8080, protocol: 'TCP' }],
      },
    },
    verdict: 'refused',
    step: 'listener',
    reason:
      'Pod shop/web-1 listens on 127.0.0.1:8080 only (loopback), so connections to its IP 10.244.1.5:8080 are refused; the app must listen on 0.0.0.0',
  },
  {
    rule: 'an app bound to 127.0.0.1 answers the Pod itself on localhost',
    state: { pods: [web('web-1', '10.244.1.5')] },
    from: { pod: { namespace: 'shop', name: 'web-1' } },
    to: { ip: '127.0.0.1' },
    port: 8080,
    options: {
      listeners: {
        mode: 'declared',
        hints: [{ namespace: 'shop', pod: 'web-1', address: '127.0.0.1', port: 8080, protocol: 'TCP' }],
      },
    },
    verdict: 'connected',
  },
  {
    rule: 'an app bound to 0.0.0.0 answers on the Pod IP',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    options: {
      listeners: {
        mode: 'declared',
        hints: [{ namespace: 'shop', pod: 'web-1', address: '0.0.0.0', port: 8080, protocol: 'TCP' }],
      },
    },
    verdict: 'connected',
  },
  {
    rule: 'by default a port that is not declared is not listened on',
    state: { pods: [client, web('web-1', '10.244.1.5')] },
    to: { pod: { namespace: 'shop', name: 'web-1' } },
    port: 9090,
    verdict: 'refused',
    reason: /nothing in Pod shop\/web-1 listens on port 9090\/TCP/,
  },
  {
    rule: 'exact listeners replace the declared ports',
    state: { pods: [client, web('web-1', '10.244.1.5')] },
    to: { pod: { namespace: 'shop', name: 'web-1' } },
    port: 8080,
    options: { listeners: { mode: 'exact', listeners: [] } },
    verdict: 'refused',
  },
  {
    rule: 'policy-only mode treats every destination as listening',
    state: { pods: [client, web('web-1', '10.244.1.5')] },
    to: { pod: { namespace: 'shop', name: 'web-1' } },
    port: 9090,
    options: { listeners: { mode: 'any' } },
    verdict: 'connected',
  },
  {
    rule: 'one broken backend of two fails the reach, saying it is intermittent',
    state: {
      pods: [client, web('web-1', '10.244.1.5'), web('web-2', '10.244.1.6')],
      services: [webService()],
    },
    options: {
      listeners: {
        mode: 'declared',
        hints: [{ namespace: 'shop', pod: 'web-2', address: '127.0.0.1', port: 8080, protocol: 'TCP' }],
      },
    },
    verdict: 'refused',
    reason: /^1 of 2 endpoints of Service shop\/web fail/,
  },
  {
    rule: 'internalTrafficPolicy Local drops traffic without a local endpoint',
    state: {
      pods: [client, web('web-1', '10.244.2.5', { node: 'node-2' })],
      services: [webService({ internalTrafficPolicy: 'Local' })],
    },
    verdict: 'blocked',
    reason: /internalTrafficPolicy Local and no endpoint on Pod shop\/client's node node-1/,
  },
  {
    rule: 'internalTrafficPolicy Local uses the endpoint on the same node',
    state: {
      pods: [
        client,
        web('web-1', '10.244.1.5', { node: 'node-1' }),
        web('web-2', '10.244.2.5', { node: 'node-2' }),
      ],
      services: [webService({ internalTrafficPolicy: 'Local' })],
    },
    verdict: 'connected',
  },
  {
    rule: 'a NodePort on any node reaches the Service',
    state: {
      pods: [web('web-1', '10.244.2.5', { node: 'node-2' })],
      services: [
        webService({
          type: 'NodePort',
          ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        }),
      ],
    },
    from: { ip: '203.0.113.9' },
    to: { ip: '172.18.0.2' },
    port: 30080,
    verdict: 'connected',
  },
  {
    rule: 'externalTrafficPolicy Local drops NodePort traffic on a node without an endpoint',
    state: {
      pods: [web('web-1', '10.244.2.5', { node: 'node-2' })],
      services: [
        webService({
          type: 'NodePort',
          externalTrafficPolicy: 'Local',
          ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        }),
      ],
    },
    from: { ip: '203.0.113.9' },
    to: { ip: '172.18.0.2' },
    port: 30080,
    verdict: 'blocked',
    reason: /externalTrafficPolicy Local and no endpoint on node node-1/,
  },
  {
    rule: 'externalTrafficPolicy Local does not hold Pod traffic to local endpoints (kube-proxy short-circuits it)',
    state: {
      pods: [client, web('web-1', '10.244.2.5', { node: 'node-2' })],
      services: [
        webService({
          type: 'NodePort',
          externalTrafficPolicy: 'Local',
          ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        }),
      ],
    },
    to: { ip: '172.18.0.2' },
    port: 30080,
    verdict: 'connected',
  },
  {
    rule: 'externalTrafficPolicy Cluster hides the client IP behind the node (SNAT) from ipBlock rules',
    state: {
      pods: [web('web-1', '10.244.2.5', { node: 'node-2' })],
      services: [
        webService({
          type: 'NodePort',
          ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        }),
      ],
      networkPolicies: [
        aPolicy('shop', 'from-office', { ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] }),
      ],
    },
    from: { ip: '203.0.113.9' },
    to: { ip: '172.18.0.2' },
    port: 30080,
    verdict: 'blocked',
    reason: /from node node-1 \(172\.18\.0\.2\) \(203\.0\.113\.9 after NodePort SNAT\)/,
  },
  {
    rule: 'externalTrafficPolicy Local keeps the client IP for ipBlock rules',
    state: {
      pods: [web('web-1', '10.244.2.5', { node: 'node-2' })],
      services: [
        webService({
          type: 'NodePort',
          externalTrafficPolicy: 'Local',
          ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        }),
      ],
      networkPolicies: [
        aPolicy('shop', 'from-office', { ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] }),
      ],
    },
    from: { ip: '203.0.113.9' },
    to: { ip: '172.18.0.3' },
    port: 30080,
    verdict: 'connected',
  },
  {
    rule: 'nothing listens on a node port that is no NodePort',
    state: { pods: [client] },
    to: { ip: '172.18.0.2' },
    port: 31000,
    verdict: 'refused',
    reason: /nothing on node node-1/,
  },
  {
    rule: 'an external IP is reachable when egress allows it',
    state: { pods: [client] },
    to: { ip: '93.184.216.34' },
    port: 443,
    verdict: 'connected',
  },
  {
    rule: 'cluster DNS down: names fail with a timeout, said clearly',
    state: { pods: [client, web('web-1', '10.244.1.5')], services: [webService()] },
    options: { dnsAvailable: false },
    verdict: 'nxdomain',
    reason: /fails \(SERVFAIL\/timeout\): cluster DNS \(CoreDNS\) is not answering/,
  },
  {
    rule: 'a Service destination that does not exist is named',
    state: { pods: [client] },
    to: { service: { namespace: 'shop', name: 'api' } },
    verdict: 'nxdomain',
    reason: 'Service shop/api does not exist, so api.shop.svc does not resolve',
  },
  {
    rule: 'a hostPort forwards node traffic to the Pod',
    state: {
      pods: [
        aPod(
          'shop',
          'web-1',
          { app: 'web' },
          { ip: '10.244.1.5', ports: [{ containerPort: 8080, hostPort: 8081 }] },
        ),
      ],
    },
    from: { ip: '203.0.113.9' },
    to: { ip: '172.18.0.2' },
    port: 8081,
    verdict: 'connected',
  },
  {
    rule: 'a targetPort where nothing listens is refused, pointing at the targetPort',
    state: {
      pods: [client, web('web-1', '10.244.1.5')],
      services: [aService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 80 }])],
    },
    verdict: 'refused',
    step: 'listener',
    reason:
      'nothing in Pod shop/web-1 listens on port 80/TCP, so the connection is refused (it listens on 0.0.0.0:8080/TCP); Service shop/web sends to port 80: check its targetPort against the port the app really listens on',
  },
  {
    rule: 'a ClusterIP is not reachable from outside the cluster',
    state: { pods: [web('web-1', '10.244.1.5')], services: [webService()] },
    from: { ip: '203.0.113.9' },
    to: { ip: '10.96.1.1' },
    verdict: 'unreachable',
    reason:
      "203.0.113.9 is outside the cluster, and Service shop/web's ClusterIP 10.96.1.1 is reachable only from Pods and nodes",
  },
  {
    rule: 'a ClusterIP is reachable from a node',
    state: { pods: [web('web-1', '10.244.1.5')], services: [webService()] },
    from: { ip: '172.18.0.3' },
    to: { ip: '10.96.1.1' },
    verdict: 'connected',
  },
  {
    rule: 'a load-balancer IP is reachable from outside the cluster',
    state: {
      pods: [web('web-1', '10.244.1.5')],
      services: [
        {
          ...webService({ type: 'LoadBalancer' }),
          status: { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } },
        },
      ],
    },
    from: { ip: '203.0.113.9' },
    to: { ip: '198.51.100.7' },
    verdict: 'connected',
  },
  {
    rule: 'spec.externalIPs are served like the ClusterIP',
    state: { pods: [web('web-1', '10.244.1.5')], services: [webService({ externalIPs: ['192.0.2.50'] })] },
    from: { ip: '203.0.113.9' },
    to: { ip: '192.0.2.50' },
    verdict: 'connected',
  },
  {
    rule: 'a headless Service with publishNotReadyAddresses resolves to Pods that are not Ready',
    state: {
      pods: [client, web('web-1', '10.244.1.5', { ready: false })],
      services: [webService({ clusterIP: 'None', publishNotReadyAddresses: true })],
    },
    port: 8080,
    verdict: 'connected',
  },
  {
    rule: 'a load-balancer IP is served like the ClusterIP',
    state: {
      pods: [client, web('web-1', '10.244.1.5')],
      services: [
        {
          ...webService({ type: 'LoadBalancer' }),
          status: { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } },
        },
      ],
    },
    to: { ip: '198.51.100.7' },
    verdict: 'connected',
  },
  {
    rule: 'an address in a node pod CIDR without a running Pod has no route',
    state: {
      pods: [client],
      nodes: [{ ...aNode('node-1', '172.18.0.2'), spec: { podCIDR: '10.244.1.0/24' } }],
    },
    to: { ip: '10.244.1.99' },
    port: 8080,
    verdict: 'unreachable',
    reason: 'no running Pod has the IP 10.244.1.99 (it is in the pod network 10.244.1.0/24)',
  },
  {
    rule: 'the IP of a Pod that has terminated has no route',
    state: { pods: [client, web('job-1', '10.244.1.8', { phase: 'Succeeded' })] },
    to: { ip: '10.244.1.8' },
    port: 8080,
    verdict: 'unreachable',
    reason: 'Pod shop/job-1 has terminated (phase Succeeded)',
  },
  {
    rule: 'EndpointSlice conditions left unset read as ready and serving, as kube-proxy reads them',
    state: {
      pods: [client, web('web-1', '10.244.1.5')],
      services: [
        aService('shop', 'manual', undefined, [{ name: 'http', port: 80 }], { clusterIP: '10.96.1.9' }),
      ],
      endpointSlices: [{ ...manualSlice, endpoints: [{ addresses: ['10.244.1.5'] }] }],
    },
    to: { dns: 'manual' },
    verdict: 'connected',
  },
];

describe(ReachWalker.name, () => {
  it.each(rows)('should follow "$rule"', (row) => {
    const sut = buildNetModel(
      aCluster({ nodes: [aNode('node-1', '172.18.0.2'), aNode('node-2', '172.18.0.3')], ...row.state }),
      row.options,
    );
    const result = sut.reach({ from: row.from ?? fromClient, to: row.to ?? byName, port: row.port ?? 80 });
    expect({ verdict: result.verdict, reason: result.reason }).toMatchObject({ verdict: row.verdict });
    expect(result.allowed).toBe(row.verdict === 'connected');
    if (row.step) expect(result.path.at(-1)).toMatchObject({ step: row.step, ok: false });
    if (typeof row.reason === 'string') expect(result.reason).toContain(row.reason);
    else if (row.reason) expect(result.reason).toMatch(row.reason);
  });

  it('should walk every link in order and name the backend', () => {
    const sut = buildNetModel(
      aCluster({ pods: [client, web('web-1', '10.244.1.5')], services: [webService()] }),
    );
    const result = sut.reach({ from: fromClient, to: byName, port: 80 });
    expect(result.path.map((l) => l.step)).toEqual([
      'dns',
      'service',
      'endpoints',
      'target-port',
      'route',
      'egress-policy',
      'ingress-policy',
      'listener',
    ]);
    expect(result.backend).toEqual({ namespace: 'shop', pod: 'web-1', ip: '10.244.1.5', port: 8080 });
  });

  it('should resolve a named targetPort per backend', () => {
    const pods = [
      client,
      web('web-1', '10.244.1.5'),
      aPod(
        'shop',
        'web-2',
        { app: 'web' },
        { ip: '10.244.1.6', ports: [{ name: 'http', containerPort: 9090 }] },
      ),
    ];
    const sut = buildNetModel(aCluster({ pods, services: [webService()] }));
    const result = sut.reach({ from: fromClient, to: byName, port: 80 });
    expect(result.backends?.map((b) => `${b.pod}:${b.port}:${b.verdict}`)).toEqual([
      'web-1:8080:connected',
      'web-2:9090:connected',
    ]);
  });

  it('should prefer ready endpoints over terminating ones', () => {
    const sut = buildNetModel(
      aCluster({
        pods: [client, web('web-1', '10.244.1.5'), web('web-2', '10.244.1.6', { deleting: true })],
        services: [webService()],
      }),
    );
    expect(sut.reach({ from: fromClient, to: byName, port: 80 }).backends?.map((b) => b.pod)).toEqual([
      'web-1',
    ]);
  });

  it('should explain a failure with what the learner sees and the broken link', () => {
    const sut = buildNetModel(
      aCluster({
        pods: [client, web('web-1', '10.244.1.5')],
        services: [aService('shop', 'web', { app: 'web-frontend' }, [{ port: 80 }])],
      }),
    );
    expect(explain(sut.reach({ from: fromClient, to: byName, port: 80 }))).toBe(
      'Connection refused: Service shop/web selects app=web-frontend, but no Pod in shop has that label; its Pods have app=web, app=client.',
    );
  });

  it.each<[string, Partial<ReachQuery>, RegExp]>([
    [
      'an unknown source pod',
      { from: { pod: { namespace: 'shop', name: 'ghost' } } },
      /source Pod shop\/ghost is not in the cluster state \(Pods in shop: client, web-1\)/,
    ],
    [
      'an unknown destination pod',
      { to: { pod: { namespace: 'nowhere', name: 'x' } } },
      /destination Pod nowhere\/x is not in the cluster state \(namespace nowhere has no Pods\)/,
    ],
    ['a port out of range', { port: 70000 }, /port 70000 is out of range/],
    ['port 0', { port: 0 }, /port 0 is out of range/],
    ['an unknown protocol', { protocol: 'ICMP' as never }, /protocol "ICMP" is not one of TCP, UDP, SCTP/],
    ['a destination that is no IP', { to: { ip: '10.0.0.300' } }, /"10\.0\.0\.300" is not an IP address/],
    [
      'a container port name the Pod lacks',
      { to: { pod: { namespace: 'shop', name: 'web-1' } }, port: 'metrics' },
      /Pod shop\/web-1 has no container port named "metrics"/,
    ],
  ])('should throw INVALID_INPUT for %s', (_what, query, message) => {
    const sut = buildNetModel(
      aCluster({ pods: [client, web('web-1', '10.244.1.5')], services: [webService()] }),
    );
    expect(() => sut.reach({ from: fromClient, to: byName, port: 80, ...query })).toThrow(
      expect.objectContaining({
        code: GraderErrorCode.INVALID_INPUT,
        message: expect.stringMatching(message),
      }),
    );
  });
});
