import { ProviderError, ProviderErrorCode } from '../../errors';
import { SimClusterManager, SimClusterManagerError } from '../../sim/cluster-manager';
import type { PropagationSetting } from '../../sim/runtime/propagation';
import type { ClusterHandle, ClusterProvider, ClusterSpec, ClusterSummary } from '../provider';

/** How the sim provider makes its clusters. */
export interface SimProviderOptions {
  /** The `/version` minor the clusters report (which kubectl the dispatcher runs); default 33. */
  minor?: number;
  /** Share a manager (e.g. with `netlab sim up` or a server that also serves the terminal). */
  manager?: SimClusterManager;
  /** How long changes take to reach the data plane; default `'realistic'` (what CI runs labs with). */
  propagation?: PropagationSetting;
}

/**
 * Clusters emulated in this process: created in milliseconds, each with its own API endpoint,
 * token and runtime, gone when deleted or when the process exits.
 */
export class SimProvider implements ClusterProvider {
  readonly kind = 'sim' as const;
  readonly manager: SimClusterManager;
  private readonly labels = new Map<string, Record<string, string>>();
  private readonly specs = new Map<string, ClusterSpec>();

  constructor(private readonly options: SimProviderOptions = {}) {
    this.manager = options.manager ?? new SimClusterManager();
  }

  async create(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle> {
    if (signal?.aborted)
      throw new ProviderError(ProviderErrorCode.TIMEOUT, `creating sim cluster ${spec.name} was cancelled`);
    let cluster;
    try {
      cluster = await this.manager.create({
        name: spec.name,
        nodes: spec.nodes,
        cni: spec.cni,
        networkPolicy: spec.networkPolicy,
        minor: this.options.minor ?? 33,
        ...(spec.images?.length ? { images: spec.images } : {}),
        ...(this.options.propagation !== undefined ? { propagation: this.options.propagation } : {}),
      });
    } catch (error) {
      if (error instanceof SimClusterManagerError) {
        const code =
          error.reason === 'exists' ? ProviderErrorCode.CLUSTER_EXISTS : ProviderErrorCode.INVALID_SPEC;
        throw new ProviderError(code, error.message, { cause: error });
      }
      throw new ProviderError(
        ProviderErrorCode.CREATE_FAILED,
        `sim cluster ${spec.name} failed to start: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (signal?.aborted) {
      await this.manager.delete(spec.name);
      throw new ProviderError(ProviderErrorCode.TIMEOUT, `creating sim cluster ${spec.name} was cancelled`);
    }
    this.labels.set(spec.name, { ...spec.labels });
    this.specs.set(spec.name, spec);
    return {
      name: spec.name,
      provider: 'sim',
      kubeconfig: cluster.kubeconfig,
      createdAt: cluster.createdAt,
      spec,
    };
  }

  async delete(name: string): Promise<void> {
    await this.manager.delete(name);
    this.labels.delete(name);
    this.specs.delete(name);
  }

  async list(): Promise<ClusterSummary[]> {
    return this.manager.list().map((c) => ({
      name: c.name,
      provider: 'sim',
      createdAt: c.createdAt,
      labels: this.labels.get(c.name) ?? {},
    }));
  }
}

/** The sim provider with default options (what `netlab lab test --provider sim` uses). */
export function createSimProvider(options: SimProviderOptions = {}): SimProvider {
  return new SimProvider(options);
}
