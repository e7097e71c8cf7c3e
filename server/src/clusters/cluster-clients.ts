import type { Configuration, KubeConfig } from '@kubernetes/client-node';
import { ClientNodeKubeClient, ClusterConnection, connectedApiClient, RawObjectApi } from '@netlab/grader';

/** A client-node API class (CoreV1Api, KubernetesObjectApi, …). */
export type ApiType<T> = new (configuration: Configuration) => T;

/**
 * One cluster's API clients over one keep-alive connection: TLS is set up once per cluster instead
 * of once per request, and every request has a deadline (a stuck API server fails the call instead
 * of stalling it). Watches keep their own connections (client-node's informers). Closed together.
 */
export class ClusterClients {
  readonly connection: ClusterConnection;
  private readonly apis = new Map<ApiType<unknown>, unknown>();
  private objectApi?: RawObjectApi;
  private kubeClient?: ClientNodeKubeClient;

  constructor(readonly kc: KubeConfig) {
    this.connection = new ClusterConnection(kc);
  }

  /** The client-node API client of this type, made once. */
  api<T>(type: ApiType<T>): T {
    let api = this.apis.get(type) as T | undefined;
    if (!api) {
      api = connectedApiClient(this.kc, this.connection, type);
      this.apis.set(type, api);
    }
    return api;
  }

  /** The grader's object client (lab actions), with API discovery done once per cluster. */
  get objects(): RawObjectApi {
    return (this.objectApi ??= new RawObjectApi(this.kc, { connection: this.connection }));
  }

  /** The grader's client for checks and probes. */
  get kube(): ClientNodeKubeClient {
    return (this.kubeClient ??= new ClientNodeKubeClient(this.kc, { connection: this.connection }));
  }

  dispose(): void {
    this.objectApi?.dispose();
    this.kubeClient?.dispose();
    this.connection.dispose();
  }
}
