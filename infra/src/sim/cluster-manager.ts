import { SimCluster, type SimClusterOptions } from './sim-cluster';

/** The lifecycle failures of the cluster manager. */
export class SimClusterManagerError extends Error {
  constructor(
    readonly reason: 'exists' | 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'SimClusterManagerError';
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Many sim clusters in one process, each with its own store, HTTPS endpoint (own port), bearer token
 * and runtime; all share the process CA. Names are unique.
 */
export class SimClusterManager {
  private readonly clusters = new Map<string, SimCluster>();
  private readonly starting = new Set<string>();

  constructor(private readonly defaults: Partial<SimClusterOptions> = {}) {}

  /** Starts a cluster; throws `exists` for a taken name, `invalid` for a bad name or node count. */
  async create(options: SimClusterOptions): Promise<SimCluster> {
    if (!NAME.test(options.name) || options.name.length > 40) {
      throw new SimClusterManagerError(
        'invalid',
        `cluster name "${options.name}" is invalid: use lowercase letters, digits and "-", at most 40 characters`,
      );
    }
    const nodes = options.nodes ?? this.defaults.nodes ?? 3;
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 20) {
      throw new SimClusterManagerError(
        'invalid',
        `nodes must be a whole number from 1 to 20, got ${String(options.nodes)}`,
      );
    }
    if (this.clusters.has(options.name) || this.starting.has(options.name)) {
      throw new SimClusterManagerError('exists', `a sim cluster named ${options.name} already exists`);
    }
    this.starting.add(options.name);
    try {
      const cluster = await SimCluster.start({ ...this.defaults, ...options, nodes });
      this.clusters.set(options.name, cluster);
      return cluster;
    } finally {
      this.starting.delete(options.name);
    }
  }

  /** The running cluster of that name, if any. */
  get(name: string): SimCluster | undefined {
    return this.clusters.get(name);
  }

  /** Every running cluster. */
  list(): SimCluster[] {
    return [...this.clusters.values()];
  }

  /** Stops and forgets a cluster; returns false when there was none. */
  async delete(name: string): Promise<boolean> {
    const cluster = this.clusters.get(name);
    if (!cluster) return false;
    this.clusters.delete(name);
    await cluster.stop();
    return true;
  }

  /** Stops every cluster. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.clusters.keys()].map((name) => this.delete(name)));
  }
}
