// A deterministic synthetic cluster for benchmarks: N pods over 20 namespaces, Services selecting
// them by app, and a realistic mix of NetworkPolicies (deny-alls, app allow-lists, namespace
// selectors, AND peers, ipBlocks, egress with DNS).
import type { V1NetworkPolicy, V1Pod, V1Service } from '@kubernetes/client-node';
import { aCluster, aNamespace, aNode, aPod, aPolicy, aService } from '../src/netmodel/netmodel.factories';
import type { ClusterState } from '../src/netmodel/types';

/** Sizes of the synthetic cluster. */
export interface SyntheticSize {
  pods: number;
  services: number;
  policies: number;
}

const NAMESPACES = 20;
const APPS = 50;

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same cluster. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the cluster. */
export function syntheticCluster(size: SyntheticSize, seed = 42): ClusterState {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) =>
    aNamespace(`ns-${i}`, { team: `t${i % 5}`, env: i % 2 ? 'dev' : 'prod' }),
  );
  namespaces.push(aNamespace('kube-system'));
  const nodes = Array.from({ length: 10 }, (_, i) => aNode(`node-${i}`, `172.18.0.${i + 2}`));
  const pods: V1Pod[] = Array.from({ length: size.pods }, (_, i) =>
    aPod(
      `ns-${i % NAMESPACES}`,
      `pod-${i}`,
      { app: `app-${i % APPS}`, tier: pick(['front', 'back', 'db']), version: pick(['v1', 'v2']) },
      {
        ip: `10.244.${i >> 8}.${(i & 255) + 0}`,
        node: `node-${i % 10}`,
        ready: rnd() > 0.05,
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'metrics', containerPort: 9090 },
        ],
      },
    ),
  );
  pods.push(
    aPod(
      'kube-system',
      'coredns',
      { 'k8s-app': 'kube-dns' },
      { ip: '10.244.250.2', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] },
    ),
  );
  const services: V1Service[] = Array.from({ length: size.services }, (_, k) => {
    const app = k % APPS;
    return aService(
      `ns-${app % NAMESPACES}`,
      `svc-${k}`,
      { app: `app-${app}` },
      [{ name: 'http', port: 80, targetPort: 'http' }],
      {
        clusterIP: `10.96.${k >> 8}.${(k & 255) + 1}`,
      },
    );
  });
  services.push(
    aService(
      'kube-system',
      'kube-dns',
      { 'k8s-app': 'kube-dns' },
      [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }],
      {
        clusterIP: '10.96.250.10',
      },
    ),
  );
  const policies: V1NetworkPolicy[] = Array.from({ length: size.policies }, (_, p) => {
    const ns = `ns-${p % NAMESPACES}`;
    const app = () => ({ matchLabels: { app: `app-${Math.floor(rnd() * APPS)}` } });
    const kind = rnd();
    if (kind < 0.1) return aPolicy(ns, `deny-${p}`, { podSelector: {}, policyTypes: ['Ingress'] });
    if (kind < 0.5) {
      return aPolicy(ns, `allow-app-${p}`, {
        podSelector: app(),
        ingress: [
          { from: [{ podSelector: app() }, { podSelector: app() }], ports: [{ port: pick([8080, 'http']) }] },
        ],
      });
    }
    if (kind < 0.7) {
      return aPolicy(ns, `allow-team-${p}`, {
        podSelector: app(),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${p % 5}` } } }] }],
      });
    }
    if (kind < 0.85) {
      return aPolicy(ns, `allow-and-${p}`, {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back', 'db'] }] },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { env: 'prod' } },
                podSelector: { matchLabels: { tier: 'front' } },
              },
            ],
            ports: [{ port: 8000, endPort: 8100 }],
          },
        ],
      });
    }
    if (kind < 0.95) {
      return aPolicy(ns, `allow-cidr-${p}`, {
        podSelector: app(),
        ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: [`10.244.${p % 4}.0/24`] } }] }],
      });
    }
    return aPolicy(ns, `egress-${p}`, {
      podSelector: app(),
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
        { to: [{ podSelector: {} }] },
      ],
    });
  });
  return aCluster({ namespaces, pods, services, networkPolicies: policies, nodes });
}
