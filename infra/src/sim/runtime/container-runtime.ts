import type { InClusterApi } from '../dataplane/api-server-endpoint';
import type { ImageDeclaration } from '../apps/image-catalog';
import type { Readable, Writable } from 'node:stream';
import type { Clock } from './clock';
import type { PropagationSetting } from './propagation';

/** One container of one pod. */
export interface ContainerTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** A terminal size, as the exec resize channel sends it. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The streams of an exec or attach session, already demultiplexed from the wire protocol. */
export interface ProcessIO {
  /** Absent when the client sent stdin=false. Ends when the client closes stdin. */
  stdin?: Readable;
  stdout: Writable;
  /** Absent in TTY mode (stderr is merged into stdout) or when the client did not ask for it. */
  stderr?: Writable;
  tty: boolean;
  /** Subscribes to terminal resizes; returns an unsubscribe function. */
  onResize(listener: (size: TerminalSize) => void): () => void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Options of a log request, as `kubectl logs` sends them. */
export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  signal?: AbortSignal;
}

/** Where a forwarded connection's bytes from the pod go (kubectl port-forward's data stream). */
export interface PortForwardSink {
  data(bytes: Buffer): void;
  /** The pod side closed the connection. */
  end(): void;
}

/** One connection to a port on a pod's loopback, opened for `kubectl port-forward`. */
export interface PortForwardConnection {
  /** Bytes from the client. */
  write(bytes: Buffer): void;
  /** The client will send nothing more (the app answers what it has, then closes). */
  end(): void;
  /** The client went away: drop everything. */
  destroy(): void;
}

/** A refused port-forward connection, worded as the kubelet and containerd word it (kubectl prints it). */
export class PortForwardError extends Error {}

/**
 * The kubelet side of the API's streaming endpoints. The API server decodes the protocol
 * (WebSocket v5.channel.k8s.io, chunked logs) and calls this; the cluster runtime implements it.
 * Errors are thrown as StoreError-like objects with a Kubernetes reason (NotFound, BadRequest).
 */
export interface ContainerRuntime {
  /** Runs `command` in the container; resolves to its exit code. */
  exec(target: ContainerTarget, command: string[], io: ProcessIO): Promise<number>;
  /** Attaches to the container's main process; resolves to its exit code when it ends, or undefined on detach. */
  attach(target: ContainerTarget, io: ProcessIO): Promise<number | undefined>;
  /** The container's log; with `follow`, keeps yielding lines until the container stops or the signal aborts. */
  logs(target: ContainerTarget, options: LogOptions): AsyncIterable<string>;
  /**
   * Connects to `port` on the pod's localhost as the kubelet's port-forward does; throws
   * PortForwardError (nothing listens) with the text kubectl shows. Optional: a runtime without it
   * refuses port-forward.
   */
  portForward?(
    target: { namespace: string; pod: string },
    port: number,
    sink: PortForwardSink,
  ): PortForwardConnection;
}

/** What a sim cluster is made of, beyond its API. */
export interface ClusterRuntimeOptions {
  /** Cluster name, used in node names (`<name>-control-plane`, `<name>-worker`, ...) and the kubeconfig. */
  name: string;
  /** Nodes in all: one control-plane plus workers. */
  nodes: number;
  /** Whether a CNI (kindnet-like) is installed at creation. */
  cni: boolean;
  /** Whether the CNI enforces NetworkPolicy. */
  networkPolicy: boolean;
  /** Kubeconfig (YAML) pointing at this cluster's API, for the lab toolbox's real shell. */
  kubeconfig: string;
  /** The version the API's `/version` reports (e.g. `v1.30.0`); nodes' kubelet/kube-proxy versions match it. Default v1.30.0. */
  kubernetesVersion?: string;
  /** Which CNI `cni: true` installs; default kindnet. Flannel does not enforce NetworkPolicy. */
  cniPlugin?: 'kindnet' | 'calico' | 'flannel' | 'cilium';
  /** Injectable time (tests use a ManualClock); default: the process-wide system clock. */
  clock?: Clock;
  /** Seed for generated names (pod suffixes, IDs); default: the cluster name. */
  seed?: string;
  /**
   * Images beyond the sim's catalog that pull successfully (a lab's own): a name alone runs but
   * listens on nothing; a declaration runs its behaviour model.
   */
  images?: Array<string | ImageDeclaration>;
  /** How long changes take to reach the data plane (kube-proxy sync, pulls, stops); default realistic. */
  propagation?: PropagationSetting;
}

/**
 * The cluster behind the API: controllers, scheduler, kubelets, apps and dataplane, all driven by
 * the object store. `start()` bootstraps nodes, kube-system (CoreDNS, kube-proxy, the CNI unless
 * disabled) and the default namespaces, then runs the controllers until `stop()`.
 */
export interface ClusterRuntime extends ContainerRuntime {
  start(): void;
  stop(): Promise<void>;
  /** Resolves once the controllers have caught up with every write so far (no queued work). */
  settle?(): Promise<void>;
  /** Hands the data plane the API server that answers requests reaching kube-apiserver's socket. */
  connectApi?(api: InClusterApi): void;
}
