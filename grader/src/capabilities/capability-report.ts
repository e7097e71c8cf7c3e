/** What `checkCluster` looks at. */
export type CapabilityId =
  'server-version' | 'apis' | 'permissions' | 'pod-network' | 'cluster-dns' | 'network-policy' | 'images';

/** ok: the cluster has it. missing: it does not (the sentence says how to fix it). unknown: could not tell. */
export type CapabilityStatus = 'ok' | 'missing' | 'unknown';

/** One thing netlab needs from a cluster, and whether this cluster has it. */
export interface CapabilityResult {
  id: CapabilityId;
  title: string;
  status: CapabilityStatus;
  /** One sentence: what was seen and, when missing, the fix. */
  detail: string;
  durationMs: number;
}

/** Whether one image could be pulled by the cluster's nodes. */
export interface ImagePull {
  image: string;
  /** true: pulled; false: the pull failed; undefined: still pulling when time ran out. */
  pulled?: boolean;
  detail: string;
}

/** An API a lab uses, and whether the cluster serves it. */
export interface ServedApi {
  apiVersion: string;
  kind: string;
  served: boolean;
}

/** What a cluster can do for netlab: the report `netlab cluster check` prints and `lab test` acts on. */
export interface ClusterReport {
  /** The API server's address. */
  server: string;
  /** Its gitVersion (`v1.31.2+k3s1`), when it answered. */
  version?: string;
  results: CapabilityResult[];
  apis: ServedApi[];
  images: ImagePull[];
  /** True when nothing is missing (unknowns count as not ok). */
  ok: boolean;
  /** Whether the throwaway namespace was gone when the check ended. */
  cleanedUp: boolean;
  durationMs: number;
}
