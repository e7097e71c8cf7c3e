import { PassThrough } from 'node:stream';
import {
  CoreV1Api,
  DiscoveryV1Api,
  Exec,
  NetworkingV1Api,
  VersionApi,
  type CoreV1Event,
  type KubeConfig,
  type KubernetesObject,
  type V1EndpointSlice,
  type V1Namespace,
  type V1NetworkPolicy,
  type V1Node,
  type V1Pod,
  type V1Service,
  type V1Status,
} from '@kubernetes/client-node';
import { connectedApiClient } from './client-node-api';
import { ClusterConnection, type ClientConnectionOptions } from './cluster-connection';
import { isNotFound, rethrowFatal } from './kube-errors';
import { missingApi } from './missing-api';
import { RawObjectApi } from './raw-object-api';

/** The output of a command run in a container. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A reference to one object, as the API addresses it. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * What the grader needs from a cluster, and nothing more: the seam unit tests fake.
 * Listing and reading return data; a missing object is `undefined`. Only an unreachable API or
 * bad credentials throw a GraderError; other API refusals throw the client's ApiException.
 */
export interface KubeClient {
  version(): Promise<string>;
  listNodes(): Promise<V1Node[]>;
  listNamespaces(): Promise<V1Namespace[]>;
  listPods(namespace?: string, labelSelector?: string): Promise<V1Pod[]>;
  listServices(namespace?: string): Promise<V1Service[]>;
  listEndpointSlices(namespace?: string): Promise<V1EndpointSlice[]>;
  listNetworkPolicies(): Promise<V1NetworkPolicy[]>;
  listEvents(namespace: string, fieldSelector?: string): Promise<CoreV1Event[]>;
  readObject(key: ObjectKey): Promise<KubernetesObject | undefined>;
  readPod(namespace: string, name: string): Promise<V1Pod | undefined>;
  createPod(pod: V1Pod): Promise<V1Pod>;
  deletePod(namespace: string, name: string): Promise<void>;
  /** Creates any object exactly as written (a Namespace, a NetworkPolicy, ...). */
  createObject(object: KubernetesObject): Promise<KubernetesObject>;
  /** Deletes a namespace and everything in it; one already gone is fine. */
  deleteNamespace(name: string): Promise<void>;
  /** The resources a group/version serves (`v1`, `discovery.k8s.io/v1`), by kind; undefined when it is not served. */
  servedKinds(groupVersion: string): Promise<string[] | undefined>;
  /** Runs `command` in a container; gives up after `timeoutMs` with exit code 124 (as `timeout` does). */
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    timeoutMs: number,
  ): Promise<ExecResult>;
}

/**
 * The real {@link KubeClient}, over @kubernetes/client-node; its requests share one
 * {@link ClusterConnection} (keep-alive, a deadline each), which {@link dispose} closes.
 */
export class ClientNodeKubeClient implements KubeClient {
  private readonly connection: ClusterConnection;
  private readonly core: CoreV1Api;
  private readonly discovery: DiscoveryV1Api;
  private readonly networking: NetworkingV1Api;
  private readonly objects: RawObjectApi;
  private readonly exec_: Exec;
  private readonly versionApi: VersionApi;

  private readonly ownsConnection: boolean;

  constructor(kc: KubeConfig, options: ClientConnectionOptions = {}) {
    this.connection = options.connection ?? new ClusterConnection(kc, options);
    this.ownsConnection = !options.connection;
    this.core = connectedApiClient(kc, this.connection, CoreV1Api);
    this.discovery = connectedApiClient(kc, this.connection, DiscoveryV1Api);
    this.networking = connectedApiClient(kc, this.connection, NetworkingV1Api);
    this.versionApi = connectedApiClient(kc, this.connection, VersionApi);
    this.objects = new RawObjectApi(kc, { connection: this.connection });
    this.exec_ = new Exec(kc); // a WebSocket stream: its own connection, bounded by exec's own timeout
  }

  /** Closes the client's connections to the API server (unless they were given to it). */
  dispose(): void {
    if (this.ownsConnection) this.connection.dispose();
  }

  private gitVersion?: string;

  async version(): Promise<string> {
    const v = await guard(() => this.versionApi.getCode());
    this.gitVersion = v.gitVersion;
    return v.gitVersion;
  }

  async listNodes(): Promise<V1Node[]> {
    return (await guard(() => this.core.listNode())).items;
  }

  async listNamespaces(): Promise<V1Namespace[]> {
    return (await guard(() => this.core.listNamespace())).items;
  }

  async listPods(namespace?: string, labelSelector?: string): Promise<V1Pod[]> {
    const list = namespace
      ? await guard(() => this.core.listNamespacedPod({ namespace, labelSelector }))
      : await guard(() => this.core.listPodForAllNamespaces({ labelSelector }));
    return list.items;
  }

  async listServices(namespace?: string): Promise<V1Service[]> {
    const list = namespace
      ? await guard(() => this.core.listNamespacedService({ namespace }))
      : await guard(() => this.core.listServiceForAllNamespaces());
    return list.items;
  }

  async listEndpointSlices(namespace?: string): Promise<V1EndpointSlice[]> {
    const list = await this.served('discovery.k8s.io/v1', 'EndpointSlice', () =>
      namespace
        ? this.discovery.listNamespacedEndpointSlice({ namespace })
        : this.discovery.listEndpointSliceForAllNamespaces(),
    );
    return list.items;
  }

  async listNetworkPolicies(): Promise<V1NetworkPolicy[]> {
    const list = await this.served('networking.k8s.io/v1', 'NetworkPolicy', () =>
      this.networking.listNetworkPolicyForAllNamespaces(),
    );
    return list.items;
  }

  async listEvents(namespace: string, fieldSelector?: string): Promise<CoreV1Event[]> {
    return (await guard(() => this.core.listNamespacedEvent({ namespace, fieldSelector }))).items;
  }

  async readObject(key: ObjectKey): Promise<KubernetesObject | undefined> {
    const header = {
      apiVersion: key.apiVersion,
      kind: key.kind,
      metadata: { name: key.name, ...(key.namespace ? { namespace: key.namespace } : {}) },
    };
    try {
      return await guard(() => this.objects.read(header));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async readPod(namespace: string, name: string): Promise<V1Pod | undefined> {
    try {
      return await guard(() => this.core.readNamespacedPod({ namespace, name }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async createPod(pod: V1Pod): Promise<V1Pod> {
    return guard(() => this.core.createNamespacedPod({ namespace: pod.metadata!.namespace!, body: pod }));
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    try {
      await guard(() => this.core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async createObject(object: KubernetesObject): Promise<KubernetesObject> {
    return guard(() => this.objects.create(object));
  }

  async deleteNamespace(name: string): Promise<void> {
    try {
      await guard(() => this.core.deleteNamespace({ name }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async servedKinds(groupVersion: string): Promise<string[] | undefined> {
    const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
    try {
      const list = (await guard(() => this.objects.get(path))) as {
        resources?: { name: string; kind: string }[];
      };
      return (list.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => r.kind);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** A list call whose 404 means the group/version is not served: said so, naming it. */
  private async served<T>(apiVersion: string, kind: string, call: () => Promise<T>): Promise<T> {
    try {
      return await guard(call);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const version = this.gitVersion ?? (await this.version().catch(() => undefined));
      throw missingApi(apiVersion, kind, version);
    }
  }

  async exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    timeoutMs: number,
  ): Promise<ExecResult> {
    const stdout = collect();
    const stderr = collect();
    return new Promise<ExecResult>((resolve, reject) => {
      let socket: { close(): void } | undefined;
      const timer = setTimeout(() => {
        socket?.close();
        resolve({
          exitCode: 124,
          stdout: stdout.text(),
          stderr: `${stderr.text()}exec timed out after ${timeoutMs} ms`,
        });
      }, timeoutMs);
      const done = (status: V1Status) => {
        clearTimeout(timer);
        // The status arrives on the error channel before the last output frames are flushed.
        setImmediate(() =>
          resolve({ exitCode: exitCodeOf(status), stdout: stdout.text(), stderr: stderr.text() }),
        );
      };
      this.exec_
        .exec(namespace, pod, container, command, stdout.stream, stderr.stream, null, false, done)
        .then((ws) => {
          socket = ws;
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          try {
            rethrowFatal(error);
          } catch (fatal) {
            reject(fatal as Error);
            return;
          }
          reject(error as Error);
        });
    });
  }
}

/** Exit code from the status the exec error channel sends: Success, or NonZeroExitCode with an ExitCode cause. */
function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : 1;
}

function collect(): { stream: PassThrough; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    rethrowFatal(error);
    throw error;
  }
}
