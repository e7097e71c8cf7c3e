import type { KubeClient } from '../kube/kube-client';
import { apiMessage, rethrowFatal } from '../kube/kube-errors';
import { dnsCommand, httpCommand, parseDns, parseHttp, type HttpObservation } from '../probes/probe-commands';
import type { CapabilityResult } from './capability-report';

/** Where the check's traffic comes from and goes to: a client pod to exec in, a server pod's IP and port. */
export interface TrafficPair {
  client: KubeClient;
  namespace: string;
  clientPod: string;
  container: string;
  serverUrl: string;
  connectTimeoutMs: number;
}

/** The name every cluster's DNS must resolve: the API server's Service. */
export const DNS_PROBE_NAME = 'kubernetes.default.svc.cluster.local';

/** Whether cluster DNS answers a pod: `nslookup kubernetes.default.svc.cluster.local` from the client. */
export async function dnsCapability(pair: TrafficPair): Promise<CapabilityResult> {
  const started = performance.now();
  const result = (status: CapabilityResult['status'], detail: string): CapabilityResult => ({
    id: 'cluster-dns',
    title: 'cluster DNS answers pods',
    status,
    detail,
    durationMs: Math.round(performance.now() - started),
  });
  const budgetMs = Math.max(2000, 2 * pair.connectTimeoutMs);
  const seen = parseDns(
    await pair.client.exec(
      pair.namespace,
      pair.clientPod,
      pair.container,
      dnsCommand(DNS_PROBE_NAME),
      budgetMs,
    ),
  );
  if (seen.outcome === 'resolves')
    return result('ok', `${DNS_PROBE_NAME} resolves to ${seen.addresses.join(', ')} from a pod`);
  if (seen.outcome === 'nxdomain') {
    return result(
      'missing',
      `cluster DNS answers, but ${DNS_PROBE_NAME} does not resolve (${seen.message}): the labs assume the cluster domain cluster.local; use a cluster with that domain`,
    );
  }
  return result(
    'missing',
    `cluster DNS does not answer pods (${seen.message}): check CoreDNS with \`kubectl -n kube-system get pods -l k8s-app=kube-dns\` and its Service kube-system/kube-dns`,
  );
}

/** One HTTP request from the client pod to the server pod. */
export async function request(pair: TrafficPair): Promise<HttpObservation> {
  const seconds = Math.max(1, Math.ceil((2 * pair.connectTimeoutMs) / 1000));
  return parseHttp(
    await pair.client.exec(
      pair.namespace,
      pair.clientPod,
      pair.container,
      httpCommand(pair.serverUrl, seconds, pair.connectTimeoutMs),
      seconds * 1000 + 2000,
    ),
  );
}

/** Whether one pod reaches another's IP with no policy in the way (what every traffic check rests on). */
export async function podNetworkCapability(pair: TrafficPair): Promise<CapabilityResult> {
  const started = performance.now();
  const seen = await request(pair);
  const ok = seen.kind === 'response';
  return {
    id: 'pod-network',
    title: 'pods reach each other',
    status: ok ? 'ok' : 'missing',
    detail: ok
      ? `a pod got HTTP ${seen.status} from another pod's IP (${pair.serverUrl})`
      : `a pod could not reach another pod's IP (${pair.serverUrl}: ${seen.outcome}, ${seen.message}): check the CNI with \`kubectl -n kube-system get pods\` and the nodes' Ready condition`,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Whether the CNI enforces NetworkPolicy: a deny-all ingress policy on the server pod must stop the
 * client's requests within `enforcementTimeoutMs` (CNIs program a policy a moment after it exists).
 */
export async function networkPolicyCapability(
  pair: TrafficPair,
  serverLabels: Record<string, string>,
  enforcementTimeoutMs: number,
): Promise<CapabilityResult> {
  const started = performance.now();
  const result = (status: CapabilityResult['status'], detail: string): CapabilityResult => ({
    id: 'network-policy',
    title: 'the CNI enforces NetworkPolicy',
    status,
    detail,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    await pair.client.createObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'netlab-deny-all', namespace: pair.namespace },
      spec: { podSelector: { matchLabels: serverLabels }, policyTypes: ['Ingress'] },
    } as never);
  } catch (error) {
    rethrowFatal(error);
    return result('unknown', `could not create a NetworkPolicy to test with: ${apiMessage(error)}`);
  }
  const policySetAt = performance.now();
  for (;;) {
    const seen = await request(pair);
    const waited = performance.now() - policySetAt;
    if (seen.kind === 'failure') {
      return result(
        'ok',
        `a deny-all policy stopped traffic between two pods ${(waited / 1000).toFixed(1)} s after it was created (${seen.outcome})`,
      );
    }
    if (waited >= enforcementTimeoutMs) {
      return result(
        'missing',
        `the CNI does not enforce NetworkPolicy: traffic still flowed ${Math.round(waited / 1000)} s after a deny-all policy selected the server pod: install a CNI that enforces it (Calico, Cilium, kindnet from kind v0.24, or k3s's built-in policy controller); labs that use NetworkPolicies are skipped until then`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
