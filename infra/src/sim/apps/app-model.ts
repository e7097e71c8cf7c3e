import type { Protocol } from '@netlab/grader/netmodel';
import type { ServerHandler, ServerSocket } from '../shell/shell-host';
import type { IngressNginxConfig } from './ingress-nginx-routing';

/** A socket an app listens on inside its pod. */
export interface AppListener {
  /** `0.0.0.0`, `::`, `127.0.0.1`, or one IP. */
  address: string;
  port: number;
  protocol: Protocol;
  /** Set when the socket speaks TLS (nginx `listen 443 ssl`, a declared image's `tls`). */
  tls?: ListenerTls;
}

/** What a TLS listener serves, and who answers a plain HTTP request sent to it. */
export interface ListenerTls {
  /** The PEM of the served certificate file, leaf first (empty when the file is missing). */
  chainPem: string;
  /** `app`: the app answers it itself (nginx's 400 page); `go`: Go net/http's bare 400; `close`: hang up. */
  plainHttp: 'app' | 'go' | 'close';
}

/** An HTTP request as it reaches the app. */
export interface AppHttpRequest {
  method: string;
  /** Path with query string, e.g. `/echo?msg=hi`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string;
  /** The connecting client (after Service NAT, the source pod or node IP). */
  client: { ip: string; port: number };
  /** The local address and port the request arrived on. */
  local: { ip: string; port: number };
  /** Whether it came over TLS (https), as opposed to plain HTTP. */
  tls?: boolean;
}

/** An HTTP response as the app sends it. */
export interface AppHttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

/** What the container's environment looks like to the app when it starts. */
export interface AppContext {
  image: ImageRef;
  /** The container's resolved environment variables. */
  env: Record<string, string>;
  hostname: string;
  podIP: string;
  /** Whether the container keeps stdin open (`stdin: true`), so a shell waits for input. */
  stdin: boolean;
  tty: boolean;
  /** Milliseconds since the epoch, from the cluster's clock. */
  now(): number;
  /** Files mounted into the container (ConfigMaps, Secrets) by absolute path, e.g. an nginx config. */
  files?: Record<string, string>;
}

/** How the main process ends on its own, if it does. */
export interface AppExit {
  afterMs: number;
  code: number;
}

/** A running container's behaviour: what it listens on, answers and logs, and how it ends. */
export interface AppInstance {
  listeners: AppListener[];
  /** Processes as `ps` shows them (PID 1 first). */
  processes: { user: string; command: string }[];
  /** Lines written to stdout/stderr at start. */
  startupLogs: string[];
  /** Set when the main process exits by itself (e.g. `sleep 5`, a shell without a long-running command). */
  exit?: AppExit;
  /** Whether PID 1 exits promptly on SIGTERM; otherwise the kubelet waits the whole grace period. */
  handlesSigterm: boolean;
  /** Answers HTTP on one of its ports; undefined for a non-HTTP socket. Lines go to the container log. */
  http?(port: number, request: AppHttpRequest): { response: AppHttpResponse; log: string[] } | undefined;
  /** The main process is an interactive shell waiting on stdin (`kubectl run -it ... -- sh`). */
  interactiveShell?: boolean;
  /** The main process exits (code 0) once it has served one connection (busybox `nc -l`). */
  exitAfterConnection?: boolean;
  /** A `while true; do echo ...; sleep N; done` loop: these lines again every `everyMs`. */
  periodicLog?: { everyMs: number; lines: string[] };
  /** Extra files the process wrote (`echo hi > /www/index.html`), visible to exec'd shells. */
  files?: Record<string, string>;
  /**
   * The main process is this argv run by the emulated shell (the same interpreter and tools as
   * `kubectl exec`): the kubelet runs it, logs its output and ends the container with its exit code.
   */
  main?: string[];
  /** Opens a socket for a process of the container (ShellHost.listen); absent for fixed-behaviour apps. */
  listen?(socket: ServerSocket, handler: ServerHandler): () => void;
  /** CoreDNS only: what its loaded Corefile turns on (`log` logs every query). */
  dns?: { log: boolean };
  /** ingress-nginx only: its flags; the dataplane's ingress proxy routes HTTP on its HTTP port. */
  ingressNginx?: IngressNginxConfig;
  /** Called when `listen` opens or closes a socket. */
  onListenersChanged?: () => void;
}

/** A behaviour model for one image family. */
export interface AppModel {
  /** Short name for messages (e.g. `nginx`). */
  name: string;
  /** Whether it models `image` (a normalised reference). */
  matches(image: ImageRef): boolean;
  /** The image's ENTRYPOINT and CMD, as its Dockerfile sets them. */
  entrypoint: string[];
  cmd: string[];
  /** Starts the app with the container's final argv. */
  start(argv: string[], context: AppContext): AppInstance;
}

/** A parsed image reference. */
export interface ImageRef {
  /** e.g. `docker.io`, `registry.k8s.io`. */
  registry: string;
  /** e.g. `library/nginx`, `e2e-test-images/agnhost`. */
  repository: string;
  tag: string;
  digest?: string;
  /** The fully-qualified reference, as containerStatuses[].image shows it. */
  full: string;
}

/** Parses `nginx`, `nginx:1.27`, `registry.k8s.io/pause:3.9`, `repo@sha256:...` the way containerd normalises them. */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  let registry = 'docker.io';
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  const colon = rest.lastIndexOf(':');
  let tag = 'latest';
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const repository = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  const full = `${registry}/${repository}${digest && tag === 'latest' ? '' : `:${tag}`}${digest ? `@${digest}` : ''}`;
  return { registry, repository, tag, ...(digest ? { digest } : {}), full };
}

/** The argv a container runs: `command` replaces ENTRYPOINT, `args` replaces CMD (and CMD is dropped with `command`). */
export function containerArgv(
  model: Pick<AppModel, 'entrypoint' | 'cmd'>,
  command: string[] | undefined,
  args: string[] | undefined,
  env: Record<string, string>,
): string[] {
  const entry = command && command.length > 0 ? command : model.entrypoint;
  const rest = args && args.length > 0 ? args : command && command.length > 0 ? [] : model.cmd;
  return [...entry, ...rest].map((a) => expandEnv(a, env));
}

/** Kubernetes `$(VAR)` expansion in command and args; `$$(VAR)` escapes; unknown references stay as written. */
export function expandEnv(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) =>
    m === '$$' ? '$' : name !== undefined && name in env ? env[name]! : m,
  );
}

/** Reads `--flag=value`, `--flag value`, `-flag=value` or `-flag value` from argv. */
export function flagValue(argv: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === n && i + 1 < argv.length) return argv[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

/** Splits `host:port`, `:port` or `port` as Go's net.Listen would take it. */
export function parseListenAddress(value: string, defaultPort: number): { address: string; port: number } {
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value.trim());
  if (!m) return { address: '0.0.0.0', port: defaultPort };
  const host = m[1] ?? '';
  const address = host === '' || host === '0.0.0.0' ? '0.0.0.0' : host === 'localhost' ? '127.0.0.1' : host;
  return { address, port: Number(m[2]) };
}
