import type { ImageDeclaration } from '../sim/apps/image-catalog';
/** What a lab needs from a cluster; providers map it onto their own config. */
export interface ClusterSpec {
  /** Unique among this provider's clusters; lowercase letters, digits and "-". */
  name: string;
  /** Nodes in all: one control-plane plus (nodes - 1) workers. */
  nodes: number;
  /** Whether a CNI is installed at creation (false for the no-CNI lab). */
  cni: boolean;
  /** Whether the CNI enforces NetworkPolicy. */
  networkPolicy: boolean;
  /**
   * A lab's own images with their behaviour (lab.yaml `images`). The sim runs them by their
   * declared model; kind and external clusters pull the real images and ignore the declaration.
   */
  images?: ImageDeclaration[];
  /** Labels that mark ownership (netlab attempt, profile, ...), readable back through `list()`. */
  labels?: Record<string, string>;
}

/** A cluster that exists, and how to reach it. */
export interface ClusterHandle {
  name: string;
  provider: ProviderKind;
  /** Kubeconfig (YAML) usable from this host. */
  kubeconfig: string;
  /** Kubeconfig usable from inside the platform's own network (e.g. docker-compose), when different. */
  internalKubeconfig?: string;
  createdAt: Date;
  spec: ClusterSpec;
}

/** A cluster as `list()` reports it, so a restarted server can adopt or reap it. */
export interface ClusterSummary {
  name: string;
  provider: ProviderKind;
  createdAt: Date;
  labels: Record<string, string>;
}

/** The providers netlab has. */
export type ProviderKind = 'sim' | 'kind' | 'external';

/** Why a provider lost a cluster it had made (see `ClusterProvider.onClusterLost`). */
export interface ClusterLostEvent {
  /** The cluster's name, as `create` returned it in `ClusterHandle.name`. */
  name: string;
  /** For the learner and the log, e.g. "the sim host holding it ran out of memory and was restarted". */
  reason: string;
}

/** Makes and deletes clusters. One folder per implementation under providers/. */
export interface ClusterProvider {
  readonly kind: ProviderKind;
  /** Creates a ready cluster, or throws a ProviderError having removed whatever it made. */
  create(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle>;
  /** Deletes the cluster; deleting one that does not exist is not an error. */
  delete(name: string): Promise<void>;
  /** Every cluster this provider owns (by name prefix / labels). */
  list(): Promise<ClusterSummary[]>;
  /**
   * Optional: tells the listener each time a cluster this provider made is gone without a
   * `delete` (e.g. the sim host holding it died and was restarted empty). Its kubeconfig no longer
   * works; the caller recreates it with the same spec. Returns a function that unsubscribes.
   * Providers whose clusters cannot vanish on their own (kind, external) do not implement it.
   */
  onClusterLost?(listener: (event: ClusterLostEvent) => void): () => void;
}
