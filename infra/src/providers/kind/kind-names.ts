import { createHash } from 'node:crypto';
import { ProviderError, ProviderErrorCode } from '../../errors';
import type { ClusterSpec } from '../provider';

/** Every netlab kind cluster's name starts with this; the reaper and `list()` rely on it. */
export const KIND_NAME_PREFIX = 'netlab-';

/** Label that marks a cluster (its nodes and its ownership record) as netlab's. */
export const OWNER_LABEL = 'netlab.dev/owner';
/** Value of {@link OWNER_LABEL}. */
export const OWNER_VALUE = 'netlab';
/** Label on the ownership record: the cluster it belongs to. */
export const CLUSTER_LABEL = 'netlab.dev/cluster';
/** Label on the ownership record: when the cluster was created (ISO 8601). */
export const CREATED_AT_LABEL = 'netlab.dev/created-at';

/** Labels kind itself puts on node containers. */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
/** kind's node role label; one control-plane container per netlab cluster. */
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';

/** Longest kind cluster name: node containers are named `<name>-control-plane` and used as hostnames (≤ 63). */
export const MAX_NAME_LENGTH = 49;
/** Longest name a spec may ask for; longer than {@link MAX_NAME_LENGTH} is shortened with a hash. */
export const MAX_SPEC_NAME_LENGTH = 100;
/** Most nodes a lab may ask for (labs/README.md: cluster.nodes 1–5). */
export const MAX_NODES = 5;

const NAME_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LABEL_KEY_RE =
  /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE_RE = /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;

/** Whether a kind cluster of this name is one netlab owns. */
export function isNetlabClusterName(name: string): boolean {
  return name.startsWith(KIND_NAME_PREFIX) && NAME_RE.test(name) && name.length <= MAX_NAME_LENGTH;
}

/**
 * The kind cluster name for a spec name: `netlab-` added when missing, and a name too long for kind
 * shortened with a hash of the whole. Applying it twice gives the same name, so `delete(handle.name)`
 * and `delete(spec.name)` reach the same cluster, and a name can never reach a cluster netlab does
 * not own.
 */
export function kindClusterName(name: string): string {
  const full = name.startsWith(KIND_NAME_PREFIX) ? name : `${KIND_NAME_PREFIX}${name}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  return `${full.slice(0, MAX_NAME_LENGTH - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** Whether a name is acceptable as a spec name (before {@link kindClusterName}). */
export function isValidSpecName(name: string): boolean {
  return NAME_RE.test(name) && name.length <= MAX_SPEC_NAME_LENGTH;
}

/** Name of the docker volume that records a cluster's ownership labels. */
export function recordVolumeName(cluster: string): string {
  return `${cluster}-owner`;
}

/** Every problem with a spec for the kind provider (empty when it is fine). */
export function kindSpecProblems(spec: ClusterSpec): string[] {
  const problems: string[] = [];
  if (!isValidSpecName(spec.name)) {
    problems.push(
      `name "${spec.name}" must use only lowercase letters, digits and "-", start and end with a letter or digit, and be at most ${MAX_SPEC_NAME_LENGTH} characters`,
    );
  }
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES) {
    problems.push(
      `nodes ${spec.nodes} must be a whole number from 1 to ${MAX_NODES} (one control-plane plus workers)`,
    );
  }
  if (spec.cni && !spec.networkPolicy) {
    problems.push(
      "networkPolicy false with cni true: kind v0.24+ installs kindnet, which always enforces NetworkPolicy; use cni false and install the lab's own CNI, or the sim provider",
    );
  }
  for (const [key, value] of Object.entries(spec.labels ?? {})) {
    if (!LABEL_KEY_RE.test(key)) problems.push(`label key "${key}" is not a valid Kubernetes label key`);
    if (!LABEL_VALUE_RE.test(value)) {
      problems.push(
        `label "${key}" value "${value}" must be ≤ 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
      );
    }
    if (key === OWNER_LABEL || key === CLUSTER_LABEL || key === CREATED_AT_LABEL) {
      problems.push(`label key "${key}" is reserved for netlab's ownership record`);
    }
  }
  return problems;
}

/** Throws INVALID_SPEC listing every problem with the spec, if there are any. */
export function assertKindSpec(spec: ClusterSpec): void {
  const problems = kindSpecProblems(spec);
  if (problems.length) {
    throw new ProviderError(
      ProviderErrorCode.INVALID_SPEC,
      `cluster spec for kind is not valid:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
}
