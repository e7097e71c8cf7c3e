import type { DnsAnswer, Listener, Protocol, ReachResult } from '@netlab/grader/netmodel';
import type { AppHttpRequest, AppHttpResponse } from '../apps/app-model';
import type { IptTable } from './net/iptables-ruleset';

/**
 * Which `nslookup` the image ships: busybox 1.29 and later (`busybox`: its own resolver, the search
 * list only for names without a dot), busybox 1.28 and older (`busybox-1.28`: the C library's
 * resolver and its older layout), or bind's (`bind`: dnsutils, netshoot).
 */
export type DnsClient = 'busybox' | 'busybox-1.28' | 'bind';

/** A socket a process in the container opens to listen on. */
export interface ServerSocket {
  /** `0.0.0.0`, `127.0.0.1`, or one IP. */
  address: string;
  port: number;
  protocol: Protocol;
}

/** Answers one HTTP request that reached a listening socket; undefined when it is not HTTP. */
export type ServerHandler = (
  request: AppHttpRequest,
) => { response: AppHttpResponse; log: string[] } | undefined;

/** What a TLS server presents in its handshake: the served certificate file (PEM, leaf first). */
export interface ServerTls {
  chainPem: string;
}

/**
 * Why a request ended before HTTP: an https client met a plain server, or rejected its certificate;
 * or a plain HTTP client met a TLS server that hung up (`plain-client`).
 */
export type TlsFailure = 'plain-server' | 'rejected' | 'plain-client';

/** An HTTP request as curl or wget sends it. */
export interface HttpRequest {
  method: string;
  /** Absolute URL, e.g. `http://web.shop:8080/healthz`. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** https only: the client's side of the handshake, deciding from the server's certificate. */
  tls?: { accept(server: ServerTls): boolean };
}

/** What came back: a response, or the connection-level failure the client prints. */
export type HttpOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      headers: Record<string, string>;
      body: string;
      remote: { ip: string; port: number };
    }
  | { kind: 'failure'; connection: ReachResult; tls?: TlsFailure };

/** One network interface of a pod, as `ip addr` shows it. */
export interface NetInterface {
  name: string;
  /** CIDR notation, e.g. `10.244.1.5/24`. */
  addresses: string[];
  mac?: string;
  mtu: number;
}

/** One tracked connection (`conntrack -L`): the original direction and the reply after NAT. */
export interface ConntrackEntry {
  proto: 'tcp' | 'udp';
  /** Seconds until the entry expires. */
  timeout: number;
  /** TCP state (`ESTABLISHED`, `TIME_WAIT`); absent for UDP. */
  state?: string;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Where the reply comes from: the endpoint a Service VIP was DNATed to. */
  replySrc: string;
  replySport: number;
  assured: boolean;
}

/** A pod sandbox as `crictl pods` lists it. */
export interface CriPod {
  id: string;
  createdMs: number;
  state: 'Ready' | 'NotReady';
  name: string;
  namespace: string;
  attempt: number;
}

/** A container as `crictl ps` lists it. */
export interface CriContainer {
  id: string;
  imageId: string;
  image: string;
  createdMs: number;
  state: 'Running' | 'Exited' | 'Created';
  name: string;
  attempt: number;
  podId: string;
  pod: string;
  namespace: string;
}

/** What an ICMP echo to an address gets: a reply, silence (dropped or nobody answers), or no route. */
export type IcmpVerdict = 'reply' | 'silent' | 'unreachable';

/**
 * Everything the emulated shell needs from the cluster, for the one container it runs in.
 * The cluster runtime implements it from the store, the app models and the networking model.
 */
export interface ShellHost {
  pod: { namespace: string; name: string; ip?: string; nodeName?: string };
  container: string;
  hostname: string;
  /** The container's environment, as `env` prints it. */
  env: Record<string, string>;
  /** Readable files by absolute path: /etc/resolv.conf, /etc/hosts, /etc/hostname, ... */
  files: Record<string, string>;
  /**
   * The processes this container sees (its PID namespace), PID 1 first. `container` names the
   * container a process runs in (for `kubectl debug --target`, the target's come first).
   */
  processes: { pid: number; user: string; command: string; container?: string }[];
  /** What sockets listen in this pod (`ss -ltnp`, `netstat -tlnp`). */
  listeners: Listener[];
  interfaces: NetInterface[];
  /** Routes as `ip route` prints them. */
  routes: string[];
  /** A DNS query as the pod's resolver would make it (search path applied). */
  resolve(name: string): DnsAnswer;
  /** Opens a connection to a name or IP; the verdict says what the client sees. */
  connect(host: string, port: number, protocol: Protocol): ReachResult;
  /** Sends an HTTP request over such a connection and returns the app's answer. */
  http(request: HttpRequest): Promise<HttpOutcome>;
  /**
   * Optional: what `ping` gets from an address (an IP, already resolved). Without it the shell
   * guesses from `connect`: anything routable replies, except Service VIPs (iptables kube-proxy
   * does not answer ICMP). NetworkPolicy is not applied to ICMP either way.
   */
  icmp?(ip: string): IcmpVerdict;
  /**
   * Optional: the programs the image has (`curl`, `nslookup`, ...), by name. Absent: every
   * program the emulated shell knows. `sh` is always there.
   */
  programs?: string[];
  /** Optional: which nc the image ships: busybox's (absent) or netcat-openbsd (netshoot). */
  netcat?: 'busybox' | 'openbsd';
  /** Optional: what the image's /bin/sh is (dash in Debian-based images); absent means busybox ash. */
  shell?: 'ash' | 'dash' | 'bash';
  /** Optional: which nslookup the image ships; absent means current busybox. */
  dnsClient?: DnsClient;
  /** Optional: the user the container runs as; absent means root (uid 0). */
  user?: { uid: number; gid: number; name: string };
  /**
   * Optional: opens a listening socket in the pod (busybox `httpd`, `nc -l`, `python3 -m
   * http.server`); returns its close function. Absent: servers cannot listen here (they fail with
   * `Address in use`-free wording of their own).
   */
  listen?(socket: ServerSocket, handler: ServerHandler): () => void;
  /** Optional: called for every file the session writes, so other processes of the container see it. */
  onFileWrite?(path: string, text: string): void;
  /**
   * Optional: `ip route add|del ARGS` in the container's network namespace (the node's, for a
   * hostNetwork pod); absent where the sim does not model route changes.
   */
  changeRoute?(op: 'add' | 'del', args: string[]): { code: number; stderr: string };
  /**
   * Optional: the netfilter tables of the container's network namespace (the node's for a
   * hostNetwork pod) as `iptables-save` lists them. Absent: a namespace nobody programmed.
   */
  netfilter?(): IptTable[];
  /** Optional: the connection tracking table of that namespace (`conntrack -L`). */
  conntrack?(): ConntrackEntry[];
  /** Optional: whether the container holds CAP_NET_ADMIN (privileged or added), which reading both needs. */
  netAdmin?: boolean;
  /** Optional: the node's container runtime as crictl sees it through containerd's socket. */
  cri?(): { pods: CriPod[]; containers: CriContainer[] };
  /** Optional: other root filesystems `chroot` can enter, by absolute path (the node's `/` at `/host`). */
  chroots?: Record<string, () => ShellHost>;
  /** Optional: `dash` when the interactive `sh` is Debian's dash (prompt `# `) rather than busybox ash. */
  prompt?: 'ash' | 'dash';
  /** Optional: `procps` when `ps` is procps-ng's (Debian) rather than busybox's. */
  ps?: 'busybox' | 'procps';
}
