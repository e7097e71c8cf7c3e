import type { V1Container, V1Pod, V1Service } from '@kubernetes/client-node';
import type { ObjectStore } from '../store/object-store';
import { as } from './context';
import { issueServiceAccountToken } from '../api/auth/service-account-token';

/** Why a container cannot start: a missing ConfigMap/Secret (CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function decode(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

function fieldRef(pod: V1Pod, path: string): string {
  const labels = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (labels) return pod.metadata?.labels?.[labels[1]!] ?? '';
  const annotations = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (annotations) return pod.metadata?.annotations?.[annotations[1]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    default:
      return '';
  }
}

/** `web-svc` → `WEB_SVC`, as service link variables name Services. */
function envName(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** The docker-links-style variables for the Services of the namespace (enableServiceLinks). */
function serviceLinks(store: ObjectStore, pod: V1Pod): Record<string, string> {
  const env: Record<string, string> = {};
  const ns = pod.metadata?.namespace ?? 'default';
  const services = store.list('services', ns).map((s) => as<V1Service>(s));
  const kubernetes = store.get('services', 'default', 'kubernetes');
  if (kubernetes && ns !== 'default') services.push(as<V1Service>(kubernetes));
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = svc.metadata?.name ?? '';
    if (pod.spec?.enableServiceLinks === false && name !== 'kubernetes') continue;
    const prefix = envName(name);
    const ports = svc.spec?.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    env[`${prefix}_SERVICE_HOST`] = ip;
    env[`${prefix}_SERVICE_PORT`] = String(first.port);
    env[`${prefix}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
      const key = `${prefix}_PORT_${p.port}_${proto}`;
      env[key] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      env[`${key}_PROTO`] = proto.toLowerCase();
      env[`${key}_PORT`] = String(p.port);
      env[`${key}_ADDR`] = ip;
    }
  }
  return env;
}

/**
 * The environment the kubelet gives a container: PATH and HOSTNAME, service links, `envFrom`, then
 * `env` (ConfigMap/Secret keys, downward API, `$(VAR)` references). Throws ContainerConfigError with
 * the kubelet's wording when a referenced ConfigMap or Secret is missing.
 */
export function containerEnv(store: ObjectStore, pod: V1Pod, container: V1Container): Record<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    HOSTNAME: pod.spec?.hostname ?? pod.metadata?.name ?? '',
    ...serviceLinks(store, pod),
  };
  const data = (
    kind: 'configmaps' | 'secrets',
    name: string,
    optional?: boolean,
  ): Record<string, string> | undefined => {
    const o = store.get(kind, ns, name);
    if (!o) {
      if (optional) return undefined;
      throw new ContainerConfigError(`${kind === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`);
    }
    const values = { ...((o.data as Record<string, string> | undefined) ?? {}) };
    if (kind === 'secrets') for (const k of Object.keys(values)) values[k] = decode(values[k]!);
    if (kind === 'secrets') Object.assign(values, (o.stringData as Record<string, string> | undefined) ?? {});
    return values;
  };
  for (const from of container.envFrom ?? []) {
    const values = from.configMapRef
      ? data('configmaps', from.configMapRef.name ?? '', from.configMapRef.optional)
      : from.secretRef
        ? data('secrets', from.secretRef.name ?? '', from.secretRef.optional)
        : undefined;
    for (const [k, v] of Object.entries(values ?? {})) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined)
      env[e.name] = e.value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n?: string) =>
        m === '$$' ? '$' : n && n in env ? env[n]! : m,
      );
    else if (e.valueFrom?.configMapKeyRef) {
      const r = e.valueFrom.configMapKeyRef;
      const values = data('configmaps', r.name ?? '', r.optional);
      if (values && values[r.key] === undefined && !r.optional)
        throw new ContainerConfigError(`couldn't find key ${r.key} in ConfigMap ${ns}/${r.name}`);
      if (values?.[r.key] !== undefined) env[e.name] = values[r.key]!;
    } else if (e.valueFrom?.secretKeyRef) {
      const r = e.valueFrom.secretKeyRef;
      const values = data('secrets', r.name ?? '', r.optional);
      if (values && values[r.key] === undefined && !r.optional)
        throw new ContainerConfigError(`couldn't find key ${r.key} in Secret ${ns}/${r.name}`);
      if (values?.[r.key] !== undefined) env[e.name] = values[r.key]!;
    } else if (e.valueFrom?.fieldRef) env[e.name] = fieldRef(pod, e.valueFrom.fieldRef.fieldPath);
    else env[e.name] = '';
  }
  return env;
}

/** Files the container sees from its volumes: ConfigMap/Secret mounts and the service account. */
export function volumeFiles(store: ObjectStore, pod: V1Pod, container: V1Container): Record<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const files: Record<string, string> = {};
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const mount of container.volumeMounts ?? []) {
    const v = volumes.get(mount.name);
    if (!v) continue;
    const base = mount.mountPath.replace(/\/$/, '');
    const put = (values: Record<string, string>, items?: { key: string; path: string }[]) => {
      const chosen = items?.length
        ? items.map((i) => [i.path, values[i.key] ?? ''] as const)
        : Object.entries(values);
      for (const [k, val] of chosen) {
        const path = `${base}/${k}`;
        if (mount.subPath) {
          if (k === mount.subPath) files[base] = val;
        } else files[path] = val;
      }
    };
    if (v.configMap) {
      const cm = store.get('configmaps', ns, v.configMap.name ?? '');
      if (cm) put((cm.data as Record<string, string>) ?? {}, v.configMap.items as never);
    } else if (v.secret) {
      const s = store.get('secrets', ns, v.secret.secretName ?? '');
      if (s) {
        const raw = (s.data as Record<string, string>) ?? {};
        put(
          Object.fromEntries(Object.entries(raw).map(([k, val]) => [k, decode(val)])),
          v.secret.items as never,
        );
      }
    } else if (v.projected && mount.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount') {
      const ca = store.get('configmaps', ns, 'kube-root-ca.crt');
      files[`${base}/namespace`] = ns;
      files[`${base}/ca.crt`] = ((ca?.data as Record<string, string> | undefined) ?? {})['ca.crt'] ?? '';
      files[`${base}/token`] = podServiceAccountToken(store, pod);
    }
  }
  return files;
}

/**
 * The projected token the kubelet mounts: a ServiceAccount token bound to the Pod (and its node),
 * which the API server authenticates as `system:serviceaccount:NS:NAME`.
 */
function podServiceAccountToken(store: ObjectStore, pod: V1Pod): string {
  const ns = pod.metadata?.namespace ?? 'default';
  const saName = pod.spec?.serviceAccountName || 'default';
  const sa = store.get('serviceaccounts', ns, saName);
  const nodeName = pod.spec?.nodeName;
  const node = nodeName ? store.get('nodes', undefined, nodeName) : undefined;
  return issueServiceAccountToken(
    {
      namespace: ns,
      serviceAccount: { name: saName, uid: sa?.metadata.uid ?? '' },
      pod: { name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
      ...(node && nodeName ? { node: { name: nodeName, uid: node.metadata.uid } } : {}),
    },
    Date.now(),
  );
}
