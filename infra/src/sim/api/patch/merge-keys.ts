/**
 * How a list field merges in a strategic merge patch, after the `patchStrategy`/`patchMergeKey` tags of
 * the Kubernetes Go types. `path` is the field names from the object root, without list indices.
 */
export type ListStrategy = { kind: 'merge'; key: string } | { kind: 'primitive-merge' } | { kind: 'replace' };

const BY_FIELD: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  addresses: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  schedulingGates: 'name',
  resizePolicy: 'resourceName',
  resourceClaims: 'name',
};

/** The list strategy of the field at `path` in an object of `kind`. */
export function listStrategy(kind: string, path: string[]): ListStrategy {
  const field = path[path.length - 1] ?? '';
  if (field === 'finalizers' && path.length === 2 && path[0] === 'metadata')
    return { kind: 'primitive-merge' };
  if (field === 'ports') {
    const parent = path[path.length - 2];
    if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers') {
      return { kind: 'merge', key: 'containerPort' };
    }
    if (kind === 'Service' && path.length === 2 && path[0] === 'spec') return { kind: 'merge', key: 'port' };
    return { kind: 'replace' };
  }
  if (field === 'addresses' && kind !== 'Node') return { kind: 'replace' };
  if (field === 'conditions' && path[0] !== 'status') return { kind: 'replace' };
  if (field === 'volumes' && !path.includes('spec')) return { kind: 'replace' };
  const key = BY_FIELD[field];
  return key ? { kind: 'merge', key } : { kind: 'replace' };
}
