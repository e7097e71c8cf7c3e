import type * as ClientNode from '@kubernetes/client-node';
import { parse } from 'yaml';
import { ProviderError, ProviderErrorCode } from '../../errors';
import { compareVersions, parseVersion } from '../common/version';
import type { ClusterHandle, ClusterProvider, ClusterSpec, ClusterSummary } from '../provider';

/** The oldest Kubernetes netlab runs on: the first to serve discovery.k8s.io/v1 EndpointSlices. */
export const MIN_EXTERNAL_KUBERNETES = '1.21.0';

/** The label on every namespace a lab creates in an external cluster: which netlab "cluster" it belongs to. */
export const EXTERNAL_CLUSTER_LABEL = 'netlab.dev/cluster';

/** Where the external cluster is. */
export interface ExternalProviderOptions {
  /** Kubeconfig (YAML) of the existing cluster. */
  kubeconfig: string;
  /** How long `delete` waits for the namespaces to be gone (default 3 min). */
  deleteTimeoutMs?: number;
}

/**
 * An existing cluster from a kubeconfig (an instructor's own). It cannot make clusters, so a
 * "cluster" here is a set of namespaces: `create` checks the cluster can serve the spec and hands
 * out the kubeconfig; the lab labels every Namespace it creates with {@link EXTERNAL_CLUSTER_LABEL};
 * `delete` removes those namespaces and waits until they are gone. Specs that need a fresh cluster
 * (no CNI) are refused with INVALID_SPEC, and so is a cluster older than
 * {@link MIN_EXTERNAL_KUBERNETES}. What else the cluster can do (NetworkPolicy enforcement, DNS,
 * image pulls) is checked by the grader's `checkCluster` (`netlab cluster check`), which needs
 * pods and exec.
 */
export class ExternalProvider implements ClusterProvider {
  readonly kind = 'external' as const;
  private readonly specs = new Map<string, { spec: ClusterSpec; createdAt: Date }>();
  private client: Promise<{ kc: ClientNode.KubeConfig; k8s: typeof ClientNode }> | undefined;

  constructor(private readonly options: ExternalProviderOptions) {
    let doc: unknown;
    try {
      doc = parse(options.kubeconfig);
    } catch (error) {
      throw unreadable(error);
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      throw unreadable(new Error('expected a YAML mapping with clusters, users and contexts'));
    }
  }

  /**
   * The kubeconfig loaded into client-node, on first use: importing client-node costs ~0.2 s, which
   * every `netlab` command that merely bundles this provider (e.g. `netlab sim up`) would pay.
   */
  private kubeconfig(): Promise<{ kc: ClientNode.KubeConfig; k8s: typeof ClientNode }> {
    this.client ??= import('@kubernetes/client-node').then((k8s) => {
      const kc = new k8s.KubeConfig();
      try {
        kc.loadFromString(this.options.kubeconfig);
      } catch (error) {
        throw unreadable(error);
      }
      return { kc, k8s };
    });
    return this.client;
  }

  /** Why this provider cannot give a cluster for `spec`, or undefined when it can. */
  static refusal(spec: Pick<ClusterSpec, 'cni'>): string | undefined {
    return spec.cni
      ? undefined
      : 'needs a fresh cluster without a CNI, and an existing cluster already has one';
  }

  async create(spec: ClusterSpec): Promise<ClusterHandle> {
    const refusal = ExternalProvider.refusal(spec);
    if (refusal) throw new ProviderError(ProviderErrorCode.INVALID_SPEC, `external cluster: ${refusal}`);
    if (this.specs.has(spec.name)) {
      throw new ProviderError(
        ProviderErrorCode.CLUSTER_EXISTS,
        `a namespace set named ${spec.name} is in use`,
      );
    }
    const { kc, k8s } = await this.kubeconfig();
    let gitVersion: string;
    try {
      gitVersion = (await kc.makeApiClient(k8s.VersionApi).getCode()).gitVersion;
    } catch (error) {
      throw new ProviderError(
        ProviderErrorCode.HOST_NOT_READY,
        `the external cluster at ${kc.getCurrentCluster()?.server ?? '(no server)'} does not answer: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const version = parseVersion(gitVersion);
    if (version && compareVersions(version, MIN_EXTERNAL_KUBERNETES) < 0) {
      throw new ProviderError(
        ProviderErrorCode.INVALID_SPEC,
        `the external cluster at ${kc.getCurrentCluster()?.server} runs Kubernetes ${gitVersion}, older than 1.21, the oldest netlab supports (it needs discovery.k8s.io/v1 EndpointSlices): upgrade it, or use another cluster`,
      );
    }
    const createdAt = new Date();
    this.specs.set(spec.name, { spec, createdAt });
    return { name: spec.name, provider: 'external', kubeconfig: this.options.kubeconfig, createdAt, spec };
  }

  async delete(name: string): Promise<void> {
    this.specs.delete(name);
    const { kc, k8s } = await this.kubeconfig();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const labelSelector = `${EXTERNAL_CLUSTER_LABEL}=${name}`;
    const namespaces = (await core.listNamespace({ labelSelector })).items;
    await Promise.all(
      namespaces.map((ns) =>
        core.deleteNamespace({ name: ns.metadata!.name! }).catch((error: { code?: number }) => {
          if (error.code !== 404) throw error;
        }),
      ),
    );
    const deadline = Date.now() + (this.options.deleteTimeoutMs ?? 180_000);
    while ((await core.listNamespace({ labelSelector })).items.length > 0) {
      if (Date.now() > deadline) {
        throw new ProviderError(
          ProviderErrorCode.TIMEOUT,
          `namespaces labelled ${labelSelector} are still terminating`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async list(): Promise<ClusterSummary[]> {
    const { kc, k8s } = await this.kubeconfig();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const namespaces = (await core.listNamespace({ labelSelector: EXTERNAL_CLUSTER_LABEL })).items;
    const byName = new Map<string, ClusterSummary>();
    for (const ns of namespaces) {
      const name = ns.metadata?.labels?.[EXTERNAL_CLUSTER_LABEL];
      if (!name || byName.has(name)) continue;
      byName.set(name, {
        name,
        provider: 'external',
        createdAt: ns.metadata?.creationTimestamp ? new Date(ns.metadata.creationTimestamp) : new Date(0),
        labels: { ...this.specs.get(name)?.spec.labels },
      });
    }
    return [...byName.values()];
  }
}

function unreadable(error: unknown): ProviderError {
  return new ProviderError(
    ProviderErrorCode.INVALID_SPEC,
    `the kubeconfig for the external provider cannot be read: ${(error as Error).message}`,
    { cause: error },
  );
}
