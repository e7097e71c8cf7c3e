import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClientNodeKubeClient, type KubeClient } from '../kube/kube-client';
import { apiMessage, rethrowFatal } from '../kube/kube-errors';
import { DEFAULT_PROBE_IMAGE } from '../probes/probe-pool';
import { apisCapability, GRADER_APIS, servedApis, versionCapability } from './api-capabilities';
import type { CapabilityResult, ClusterReport, ImagePull } from './capability-report';
import { scratchPod, startScratchPod, type PodState } from './scratch-pods';
import {
  dnsCapability,
  networkPolicyCapability,
  podNetworkCapability,
  type TrafficPair,
} from './traffic-capabilities';

/** The image of the check's server pod: a tiny HTTP server every lab catalog already uses. */
export const CHECK_SERVER_IMAGE = 'hashicorp/http-echo:1.0';

/** The label on the check's throwaway namespace. */
export const CAPABILITY_CHECK_LABEL = 'netlab.dev/capability-check';

/** How {@link checkCluster} runs. */
export interface ClusterCheckOptions {
  /** Images that must be pullable (the labs', after any image map); the probe and server images are always checked. */
  images?: string[];
  /** Kinds the labs use, besides the grader's own. */
  apis?: { apiVersion: string; kind: string }[];
  /** Probe image (default nicolaka/netshoot), after any image map. */
  probeImage?: string;
  /** Server image (default hashicorp/http-echo), after any image map. */
  serverImage?: string;
  /** How long a pod may take to start, image pull included (default 120 s). */
  podStartTimeoutMs?: number;
  /** How long a deny-all policy may take to stop traffic (default 15 s). */
  enforcementTimeoutMs?: number;
  /** A handshake slower than this counts as dropped (default 1 s). */
  connectTimeoutMs?: number;
  /** How long to wait for the throwaway namespace to be gone (default 60 s). */
  cleanupTimeoutMs?: number;
  /** The cluster client (tests pass a fake). */
  client?: KubeClient;
}

/**
 * What a cluster can do for netlab, checked the way a lab would use it: the server version and the
 * APIs the grader and the labs need; then, in a throwaway namespace (deleted at the end), a client
 * and a server pod: pods reach each other, cluster DNS answers, a deny-all NetworkPolicy stops
 * traffic, and every image can be pulled. Each finding is a sentence with the fix. Only an
 * unreachable API or refused credentials throw (a GraderError).
 */
export async function checkCluster(
  kc: KubeConfig,
  options: ClusterCheckOptions = {},
): Promise<ClusterReport> {
  const own = options.client ? undefined : new ClientNodeKubeClient(kc);
  try {
    return await runClusterCheck(kc, options.client ?? own!, options);
  } finally {
    own?.dispose();
  }
}

async function runClusterCheck(
  kc: KubeConfig,
  client: KubeClient,
  options: ClusterCheckOptions,
): Promise<ClusterReport> {
  const started = performance.now();
  const results: CapabilityResult[] = [];
  const report = (
    images: ImagePull[],
    apis: ClusterReport['apis'],
    cleanedUp: boolean,
    version?: string,
  ) => ({
    server: kc.getCurrentCluster()?.server ?? '(none)',
    ...(version ? { version } : {}),
    results,
    apis,
    images,
    ok: results.every((r) => r.status === 'ok') && images.every((i) => i.pulled),
    cleanedUp,
    durationMs: Math.round(performance.now() - started),
  });

  const version = await client.version();
  results.push(versionCapability(version));
  const t = performance.now();
  const apis = await servedApis(client, [...GRADER_APIS, ...(options.apis ?? [])]);
  results.push(apisCapability(apis, version, Math.round(performance.now() - t)));
  const graderApisMissing = apis.some(
    (a) => !a.served && GRADER_APIS.some((g) => g.apiVersion === a.apiVersion && g.kind === a.kind),
  );
  if (results[0]!.status === 'missing' || graderApisMissing) {
    notChecked(results, 'the cluster lacks what the grader needs (above)');
    return report([], apis, true, version);
  }

  const namespace = `netlab-check-${randomBytes(3).toString('hex')}`;
  try {
    await client.createObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { [CAPABILITY_CHECK_LABEL]: 'true' } },
    });
  } catch (error) {
    rethrowFatal(error);
    results.push({
      id: 'permissions',
      title: 'rights to create namespaces, pods and NetworkPolicies, and to exec',
      status: 'missing',
      detail: `could not create the throwaway namespace ${namespace} (${apiMessage(error)}): netlab needs to create namespaces, pods and NetworkPolicies and to exec into pods; use a kubeconfig with cluster-admin on a cluster meant for testing`,
      durationMs: 0,
    });
    notChecked(results, 'no throwaway namespace');
    return report([], apis, true, version);
  }
  try {
    const images = await runInNamespace(client, namespace, options, results);
    return report(
      images,
      apis,
      await cleanUp(client, namespace, options.cleanupTimeoutMs ?? 60_000),
      version,
    );
  } catch (error) {
    await cleanUp(client, namespace, options.cleanupTimeoutMs ?? 60_000).catch(() => false);
    throw error;
  }
}

async function runInNamespace(
  client: KubeClient,
  namespace: string,
  options: ClusterCheckOptions,
  results: CapabilityResult[],
): Promise<ImagePull[]> {
  const startMs = options.podStartTimeoutMs ?? 120_000;
  const probeImage = options.probeImage ?? DEFAULT_PROBE_IMAGE;
  const serverImage = options.serverImage ?? CHECK_SERVER_IMAGE;
  const serverLabels = { role: 'server' };
  const others = [...new Set(options.images ?? [])].filter((i) => i !== probeImage && i !== serverImage);
  const [clientState, serverState, ...otherStates] = await Promise.all([
    startScratchPod(
      client,
      scratchPod(namespace, 'client', probeImage, { role: 'client' }, { command: ['sleep', '300'] }),
      startMs,
    ),
    startScratchPod(
      client,
      scratchPod(namespace, 'server', serverImage, serverLabels, { args: ['-listen=:8080', '-text=netlab'] }),
      startMs,
    ),
    ...others.map((image, i) =>
      startScratchPod(client, scratchPod(namespace, `image-${i}`, image, {}), startMs, true),
    ),
  ]);
  const images = [
    pullOf(probeImage, clientState, startMs),
    pullOf(serverImage, serverState, startMs),
    ...others.map((image, i) => pullOf(image, otherStates[i]!, startMs)),
  ];
  results.push(imagesCapability(images));

  if (clientState.state !== 'running' || serverState.state !== 'running' || !serverState.ip) {
    const why = clientState.state !== 'running' ? clientState : serverState;
    notChecked(results, `the test pods did not start: ${'reason' in why ? why.reason : 'no pod IP'}`);
    return images;
  }
  const pair: TrafficPair = {
    client,
    namespace,
    clientPod: 'client',
    container: 'main',
    serverUrl: `http://${serverState.ip}:8080/`,
    connectTimeoutMs: options.connectTimeoutMs ?? 1000,
  };
  const [network, dns] = await Promise.all([podNetworkCapability(pair), dnsCapability(pair)]);
  results.push(network, dns);
  if (network.status !== 'ok') {
    notChecked(results, 'pods cannot reach each other even without a policy');
    return images;
  }
  results.push(await networkPolicyCapability(pair, serverLabels, options.enforcementTimeoutMs ?? 15_000));
  return images;
}

function pullOf(image: string, state: PodState, startMs: number): ImagePull {
  switch (state.state) {
    case 'running':
    case 'pulled':
      return { image, pulled: true, detail: `${image} pulled` };
    case 'pull-failed':
      return {
        image,
        pulled: false,
        detail: `${image} cannot be pulled (${state.reason}): make it reachable from the nodes, or mirror it and pass --image-map`,
      };
    case 'not-started':
      return /did not start within/.test(state.reason)
        ? {
            image,
            pulled: undefined,
            detail: `${image} still not pulled after ${Math.round(startMs / 1000)} s (${state.reason})`,
          }
        : { image, pulled: true, detail: `${image} pulled (${state.reason})` };
  }
}

function imagesCapability(images: ImagePull[]): CapabilityResult {
  const bad = images.filter((i) => !i.pulled);
  return {
    id: 'images',
    title: 'the probe and lab images can be pulled',
    status: bad.some((i) => i.pulled === false) ? 'missing' : bad.length ? 'unknown' : 'ok',
    detail: bad.length ? bad.map((i) => i.detail).join('; ') : `all ${images.length} images pulled`,
    durationMs: 0,
  };
}

/** Marks every runtime check not yet made as unknown, saying why. */
function notChecked(results: CapabilityResult[], why: string): void {
  const titles: Record<string, string> = {
    'pod-network': 'pods reach each other',
    'cluster-dns': 'cluster DNS answers pods',
    'network-policy': 'the CNI enforces NetworkPolicy',
    images: 'the probe and lab images can be pulled',
  };
  for (const [id, title] of Object.entries(titles)) {
    if (results.some((r) => r.id === id)) continue;
    results.push({
      id: id as CapabilityResult['id'],
      title,
      status: 'unknown',
      detail: `not checked: ${why}`,
      durationMs: 0,
    });
  }
}

async function cleanUp(client: KubeClient, namespace: string, timeoutMs: number): Promise<boolean> {
  await client.deleteNamespace(namespace);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await client.listNamespaces()).some((n) => n.metadata?.name === namespace)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
