import type {
  DiscoveryV1EndpointPort,
  V1Endpoint,
  V1EndpointAddress,
  CoreV1EndpointPort as V1EndpointPort,
  V1Endpoints,
  V1EndpointSlice,
  V1Node,
  V1OwnerReference,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import { matchesServiceSelector } from './label-selector';
import {
  isPodReady,
  isPodTerminal,
  isPodTerminating,
  podHasIP,
  podIPv4,
  resolveTargetPort,
} from './pod-facts';

/** Label naming the Service an EndpointSlice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Label naming the controller that manages an EndpointSlice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** Value of {@link MANAGED_BY_LABEL} for slices made by the EndpointSlice controller. */
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
/** The controller puts at most this many endpoints in one slice (--max-endpoints-per-slice default). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

const HEADLESS_LABEL = 'service.kubernetes.io/headless';
// The alphabet of utilrand.String, used by generateName.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The EndpointSlices the EndpointSlice controller would write for `service`: one group per distinct
 * set of resolved ports, at most 100 endpoints a slice, a placeholder slice when there is no endpoint,
 * none at all for a Service without a selector (its slices are managed by hand).
 */
export function computeEndpointSlices(
  service: V1Service,
  pods: V1Pod[],
  nodes: V1Node[] = [],
): V1EndpointSlice[] {
  if (!hasControllerEndpoints(service)) return [];
  const namespace = service.metadata?.namespace ?? 'default';
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const zones = new Map(
    nodes.map((n) => [n.metadata?.name ?? '', n.metadata?.labels?.['topology.kubernetes.io/zone']]),
  );

  const groups = new Map<string, { ports: DiscoveryV1EndpointPort[]; endpoints: V1Endpoint[] }>();
  for (const pod of selectedPods(service, pods)) {
    // The EndpointSlice controller keeps terminating pods (with their conditions); terminal ones never.
    const ip = podIPv4(pod);
    if (!ip) continue;
    const ports = endpointPorts(service, pod);
    const key = ports.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',');
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    const terminating = isPodTerminating(pod);
    const serving = isPodReady(pod);
    const endpoint: V1Endpoint = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      targetRef: { kind: 'Pod', namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    };
    const nodeName = pod.spec?.nodeName;
    if (nodeName) endpoint.nodeName = nodeName;
    const zone = nodeName ? zones.get(nodeName) : undefined;
    if (zone) endpoint.zone = zone;
    const hostname = endpointHostname(service, pod);
    if (hostname) endpoint.hostname = hostname;
    group.endpoints.push(endpoint);
  }

  const slices: V1EndpointSlice[] = [];
  const sortedGroups = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [key, group] of sortedGroups) {
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      slices.push(
        slice(service, `${key}#${i}`, group.ports, group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE)),
      );
    }
  }
  // With nothing to publish the controller keeps one empty placeholder slice.
  if (slices.length === 0) slices.push(slice(service, 'placeholder', undefined, []));
  return slices;
}

/**
 * The legacy Endpoints object the Endpoints controller would write: ready pods in `addresses`, the
 * others in `notReadyAddresses`, grouped into subsets by identical port sets; terminating pods only
 * with publishNotReadyAddresses.
 */
export function computeEndpoints(service: V1Service, pods: V1Pod[]): V1Endpoints | undefined {
  if (!hasControllerEndpoints(service)) return undefined;
  const namespace = service.metadata?.namespace ?? 'default';
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const subsets = new Map<
    string,
    { ports: V1EndpointPort[]; ready: V1EndpointAddress[]; notReady: V1EndpointAddress[] }
  >();
  for (const pod of selectedPods(service, pods)) {
    const ip = podIPv4(pod);
    if (!ip || (isPodTerminating(pod) && !publishNotReady)) continue;
    const ports: V1EndpointPort[] = endpointPorts(service, pod).map((p) => ({
      name: p.name || undefined,
      port: p.port!,
      protocol: p.protocol,
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const headlessWithoutPorts =
      (service.spec?.ports ?? []).length === 0 && service.spec?.clusterIP === 'None';
    if (ports.length === 0 && !headlessWithoutPorts) continue;
    const key = ports.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',');
    const subset = subsets.get(key) ?? { ports, ready: [], notReady: [] };
    subsets.set(key, subset);
    const address: V1EndpointAddress = {
      ip,
      targetRef: { kind: 'Pod', namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    };
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    const hostname = endpointHostname(service, pod);
    if (hostname) address.hostname = hostname;
    (publishNotReady || isPodReady(pod) ? subset.ready : subset.notReady).push(address);
  }
  const byIP = (a: V1EndpointAddress, b: V1EndpointAddress) => a.ip.localeCompare(b.ip);
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: service.metadata?.name,
      namespace,
      labels: { ...(service.metadata?.labels ?? {}), ...headlessLabel(service) },
    },
    subsets: [...subsets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, s]) => ({
        ...(s.ready.length ? { addresses: s.ready.sort(byIP) } : {}),
        ...(s.notReady.length ? { notReadyAddresses: s.notReady.sort(byIP) } : {}),
        ...(s.ports.length ? { ports: s.ports } : {}),
      })),
  };
}

/** The controllers skip Services without a selector (managed by hand) and ExternalName ones (kubernetes#105986). */
function hasControllerEndpoints(service: V1Service): boolean {
  const selector = service.spec?.selector;
  return Boolean(selector && Object.keys(selector).length > 0) && service.spec?.type !== 'ExternalName';
}

/** Pods the Service's selector picks in its namespace that may appear in endpoints at all. */
function selectedPods(service: V1Service, pods: V1Pod[]): V1Pod[] {
  const namespace = service.metadata?.namespace ?? 'default';
  return pods
    .filter(
      (pod) =>
        (pod.metadata?.namespace ?? 'default') === namespace &&
        matchesServiceSelector(pod.metadata?.labels, service.spec?.selector) &&
        podHasIP(pod) &&
        !isPodTerminal(pod),
    )
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** The Service's ports as this pod serves them; a named targetPort the pod lacks is left out. */
function endpointPorts(service: V1Service, pod: V1Pod): DiscoveryV1EndpointPort[] {
  const ports: DiscoveryV1EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    ports.push({
      name: sp.name ?? '',
      port,
      protocol: sp.protocol ?? 'TCP',
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    });
  }
  return ports;
}

function endpointHostname(service: V1Service, pod: V1Pod): string | undefined {
  const hostname = pod.spec?.hostname;
  return hostname && pod.spec?.subdomain === service.metadata?.name ? hostname : undefined;
}

function headlessLabel(service: V1Service): Record<string, string> {
  return service.spec?.clusterIP === 'None' ? { [HEADLESS_LABEL]: '' } : {};
}

function slice(
  service: V1Service,
  seed: string,
  ports: DiscoveryV1EndpointPort[] | undefined,
  endpoints: V1Endpoint[],
): V1EndpointSlice {
  const name = service.metadata?.name ?? '';
  const owner: V1OwnerReference = {
    apiVersion: 'v1',
    kind: 'Service',
    name,
    uid: service.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${suffix(`${service.metadata?.namespace}/${name}/${seed}`)}`,
      namespace: service.metadata?.namespace ?? 'default',
      labels: {
        ...(service.metadata?.labels ?? {}),
        ...headlessLabel(service),
        [SERVICE_NAME_LABEL]: name,
        [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER,
      },
      ownerReferences: [owner],
    },
    addressType: 'IPv4',
    endpoints,
    ...(ports ? { ports } : {}),
  };
}

/** A deterministic stand-in for generateName's five random characters (FNV-1a of the seed). */
function suffix(seed: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += SUFFIX_ALPHABET[hash % SUFFIX_ALPHABET.length];
    hash = Math.floor(hash / SUFFIX_ALPHABET.length) + i * 7919;
  }
  return out;
}
