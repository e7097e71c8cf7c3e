import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { ApiServer } from './api/api-server';
import { startApiOnlyFinalizer } from './api-only-finalizer';
import { processTls } from './api/tls';
import type { ImageDeclaration } from './apps/image-catalog';
import type { ClusterRuntime } from './runtime/container-runtime';
import { ObjectStore, type NewObject } from './store/object-store';
import { createClusterRuntime } from './runtime';
import type { ClusterRuntimeOptions } from './runtime/container-runtime';
import { gitVersion } from './api/api-server';
import { inClusterApi } from './api/in-cluster-api';
import type { PropagationSetting } from './runtime/propagation';

/** What a sim cluster is asked to be. */
export interface SimClusterOptions {
  name: string;
  /** Nodes in all (one control-plane plus workers); default 3. */
  nodes?: number;
  /** Install the kindnet-like CNI at creation; default true. */
  cni?: boolean;
  /** Whether the CNI enforces NetworkPolicy; default true. */
  networkPolicy?: boolean;
  /** The Kubernetes minor `/version` reports (picks the kubectl the dispatcher runs); default 33. */
  minor?: number;
  /**
   * The runtime: a factory, `false` for the API alone (nothing schedules or runs pods), or undefined for
   * `createClusterRuntime` from runtime/index.ts when it exists.
   */
  runtime?: ClusterRuntimeFactory | false;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /**
   * How long changes take to reach the data plane: `'realistic'` (default: kube-proxy syncs
   * 250 ms after a Service/EndpointSlice change, pulls 400 ms, …), `'fast'` (at once, for tests of
   * other layers), or realistic with some delays overridden, e.g. `{ kubeProxySyncMs: 1000 }`.
   */
  propagation?: PropagationSetting;
  /**
   * Images beyond the sim's image catalog that its registry has (a lab's own); others fail to pull.
   * A declaration gives one its behaviour (the same model as a catalog row).
   */
  images?: Array<string | ImageDeclaration>;
}

/** Builds the controllers/kubelets/apps half of a cluster over its store. */
export type ClusterRuntimeFactory = (store: ObjectStore, options: ClusterRuntimeOptions) => ClusterRuntime;

/** One emulated cluster: its object store, its HTTPS API and its runtime. */
export class SimCluster {
  private constructor(
    readonly name: string,
    readonly store: ObjectStore,
    readonly url: string,
    readonly token: string,
    readonly kubeconfig: string,
    readonly createdAt: Date,
    private readonly server: ApiServer,
    private readonly runtime: ClusterRuntime | undefined,
    private readonly stopFinalizer: (() => void) | undefined,
  ) {}

  /** Starts a cluster; resolves once its API answers. */
  static async start(options: SimClusterOptions): Promise<SimCluster> {
    const store = new ObjectStore();
    const token = randomBytes(24).toString('base64url');
    let runtime: ClusterRuntime | undefined;
    const server = new ApiServer({
      store,
      token,
      minor: options.minor ?? 33,
      runtime: () => runtime,
      port: options.port ?? 0,
    });
    const url = await server.listen();
    const kubeconfig = kubeconfigFor(options.name, url, token);
    const factory = options.runtime === false ? undefined : (options.runtime ?? createClusterRuntime);
    try {
      if (factory) {
        runtime = factory(store, {
          name: options.name,
          nodes: options.nodes ?? 3,
          cni: options.cni ?? true,
          networkPolicy: options.networkPolicy ?? true,
          kubeconfig,
          kubernetesVersion: gitVersion(options.minor ?? 33),
          ...(options.propagation !== undefined ? { propagation: options.propagation } : {}),
          ...(options.images ? { images: options.images } : {}),
        });
        runtime.connectApi?.(inClusterApi(server));
        runtime.start();
      }
      bootstrapApiObjects(store);
    } catch (e) {
      await server.close();
      throw e;
    }
    const stopFinalizer = runtime ? undefined : startApiOnlyFinalizer(store);
    return new SimCluster(
      options.name,
      store,
      url,
      token,
      kubeconfig,
      new Date(),
      server,
      runtime,
      stopFinalizer,
    );
  }

  /** Whether a runtime (controllers, kubelets, apps) runs behind the API. */
  get hasRuntime(): boolean {
    return this.runtime !== undefined;
  }

  /** Stops the runtime and the API server. */
  async stop(): Promise<void> {
    this.stopFinalizer?.();
    await this.runtime?.stop();
    await this.server.close();
  }
}

/** What the API server itself creates at start (the system namespaces), unless something already did. */
function bootstrapApiObjects(store: ObjectStore): void {
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    if (store.get('namespaces', undefined, name)) continue;
    const ns: NewObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    store.create('namespaces', ns);
  }
}

/** A kubeconfig for a sim cluster: its URL, the per-process CA and a bearer token; context `sim-<name>`. */
export function kubeconfigFor(name: string, server: string, token: string): string {
  const id = `sim-${name}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: id,
        cluster: {
          server,
          'certificate-authority-data': Buffer.from(processTls().caCert).toString('base64'),
        },
      },
    ],
    contexts: [{ name: id, context: { cluster: id, user: id, namespace: 'default' } }],
    'current-context': id,
    users: [{ name: id, user: { token } }],
    preferences: {},
  });
}
