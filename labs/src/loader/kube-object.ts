/** The minimum every Kubernetes object in a manifest has. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Says what is missing for `value` to be a Kubernetes object, or nothing when it is one. */
export function kubeObjectProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got ${JSON.stringify(value)}`;
  }
  const o = value as Record<string, unknown>;
  const missing = [
    typeof o.apiVersion === 'string' ? undefined : 'apiVersion',
    typeof o.kind === 'string' ? undefined : 'kind',
    typeof (o.metadata as { name?: unknown } | undefined)?.name === 'string' ? undefined : 'metadata.name',
  ].filter(Boolean);
  return missing.length ? `a Kubernetes object needs ${missing.join(', ')}` : undefined;
}
