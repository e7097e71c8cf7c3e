import { DECLARABLE_IMAGE_MODELS } from '@netlab/labs';
import type { DnsClient } from '../shell/shell-host';
import { parseImage, type ImageRef } from './app-model';

/** Which shell an image has as /bin/sh: busybox ash, Debian's dash (with bash), bash only, or none. */
export type ShellFlavour = 'ash' | 'dash' | 'bash' | 'none';

/**
 * One image the sim knows, with its real behaviour: what runs by default, which shell and tools
 * it ships, and what it listens on. The behaviour itself is the named model in apps/.
 */
export interface CatalogImage {
  /** Repositories as containerd normalises them (`docker.io/library/nginx`); the first is canonical. */
  names: readonly string[];
  /** The tags that exist on the registry (any other tag is "not found"). */
  tags: RegExp;
  /** The behaviour model that runs it (see MODELS in app-registry.ts). */
  model: string;
  /** The image config's ENTRYPOINT and CMD. */
  entrypoint: readonly string[];
  cmd: readonly string[];
  shell: ShellFlavour;
  /** What /bin/sh is when it is not `shell` (Debian's dash in a bash-shelled row, busybox in netshoot). */
  binSh?: 'ash' | 'dash' | 'bash';
  /** Programs it ships besides the shell (what `kubectl exec` can run). */
  tools: readonly string[];
  /** Which nc it ships when it has one: busybox's (default) or netcat-openbsd. */
  netcat?: 'busybox' | 'openbsd';
  /** What the default command listens on (`address:port/protocol`), as its docs say. */
  listens: readonly string[];
  /** Ports where it speaks TLS, and the certificate file it serves there. */
  tls?: readonly DeclaredTls[];
  /** One line for the README. */
  about: string;
}

/** The utilities every image with a shell has (busybox applets, or Debian's coreutils/grep). */
const CORE = [
  'echo',
  'printf',
  'true',
  'false',
  'cat',
  'env',
  'printenv',
  'hostname',
  'id',
  'whoami',
  'uname',
  'ls',
  'mkdir',
  'touch',
  'sleep',
  'date',
  'clear',
  'grep',
  'head',
  'tail',
  'wc',
  'seq',
  'timeout',
  'test',
  'chroot',
];
/** iptables-nft and conntrack-tools, as Debian packages them. */
export const NETFILTER = ['iptables', 'iptables-save', 'ip6tables', 'ip6tables-save', 'conntrack'];
/** busybox's networking applets. */
const BUSYBOX = [
  ...CORE,
  'wget',
  'nc',
  'nslookup',
  'ping',
  'ip',
  'netstat',
  'traceroute',
  'ps',
  'which',
  'watch',
  'httpd',
];
/** A Debian base image: coreutils, no network tools at all. */
export const DEBIAN = [...CORE, 'which'];
/** bind9's clients. */
const BIND = ['dig', 'nslookup', 'host'];
/** Tags as registries name them: a version (`1.27`, `v0.13`, `3.5.12-0`) or a word, with variants (`-alpine`). */
const LATEST_OR_VERSION =
  /^(latest|stable|mainline|alpine|slim|bookworm|bullseye|buster|jessie|jammy|noble|focal|musl|glibc|uclibc|v?\d+(\.\d+){0,3})(-[a-z0-9.]+)*$/;

/** Every image the sim can pull, one row each. */
export const IMAGE_CATALOG: readonly CatalogImage[] = [
  {
    names: ['docker.io/library/nginx'],
    tags: LATEST_OR_VERSION,
    model: 'nginx',
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    shell: 'dash',
    tools: [...DEBIAN, 'curl'],
    listens: ['0.0.0.0:80/TCP', ':::80/TCP'],
    about:
      'Debian-based nginx: welcome page on :80, config from /etc/nginx (ConfigMaps honoured), curl but no ping/nslookup/ip/ps.',
  },
  {
    names: ['docker.io/library/httpd'],
    tags: LATEST_OR_VERSION,
    model: 'httpd',
    entrypoint: [],
    cmd: ['httpd-foreground'],
    shell: 'dash',
    tools: DEBIAN,
    listens: ['0.0.0.0:80/TCP', ':::80/TCP'],
    about: 'Apache httpd: "It works!" on :80.',
  },
  {
    names: ['docker.io/library/python'],
    tags: LATEST_OR_VERSION,
    model: 'python',
    entrypoint: [],
    cmd: ['python3'],
    shell: 'dash',
    tools: [...DEBIAN, 'curl', 'python3', 'python'],
    listens: [],
    about: 'python3 (a REPL that exits on a closed stdin); `-m http.server [--bind] [port]` serves files.',
  },
  {
    names: ['docker.io/library/node'],
    tags: LATEST_OR_VERSION,
    model: 'node',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['node'],
    shell: 'dash',
    tools: [...DEBIAN, 'curl'],
    listens: [],
    about: 'node (a REPL that exits on a closed stdin); shell commands run as in Debian.',
  },
  {
    names: ['docker.io/library/busybox', 'gcr.io/google-containers/busybox', 'registry.k8s.io/busybox'],
    tags: LATEST_OR_VERSION,
    model: 'shell',
    entrypoint: [],
    cmd: ['sh'],
    shell: 'ash',
    tools: BUSYBOX,
    listens: [],
    about: 'busybox: ash and the applets (wget, nc, nslookup, ping, ip, netstat, httpd, …).',
  },
  {
    names: ['docker.io/library/alpine'],
    tags: LATEST_OR_VERSION,
    model: 'shell',
    entrypoint: [],
    cmd: ['/bin/sh'],
    shell: 'ash',
    tools: BUSYBOX,
    listens: [],
    about: 'alpine: busybox ash and applets (no curl until `apk add`).',
  },
  {
    names: ['docker.io/library/debian', 'docker.io/library/ubuntu'],
    tags: LATEST_OR_VERSION,
    model: 'shell',
    entrypoint: [],
    cmd: ['bash'],
    shell: 'bash',
    binSh: 'dash',
    tools: DEBIAN,
    listens: [],
    about: 'debian / ubuntu: bash and coreutils; no curl, wget, ping or nslookup.',
  },
  {
    names: ['docker.io/curlimages/curl'],
    tags: LATEST_OR_VERSION,
    model: 'curl',
    entrypoint: ['/entrypoint.sh'],
    cmd: ['curl'],
    shell: 'ash',
    tools: [...BUSYBOX, 'curl'],
    listens: [],
    about: 'curl on alpine: args that are not a command go to curl (`-- -s http://web`).',
  },
  {
    names: ['docker.io/nicolaka/netshoot'],
    tags: LATEST_OR_VERSION,
    model: 'shell',
    entrypoint: [],
    cmd: ['zsh'],
    shell: 'bash',
    binSh: 'ash',
    tools: [...BUSYBOX, 'zsh', 'curl', ...BIND, 'getent', 'ss', ...NETFILTER],
    netcat: 'openbsd',
    listens: [],
    about: 'netshoot: zsh/bash, curl, bind dig/nslookup/host, iproute2 ip/ss, nc, ping, traceroute.',
  },
  {
    names: ['registry.k8s.io/e2e-test-images/jessie-dnsutils'],
    tags: LATEST_OR_VERSION,
    model: 'shell',
    entrypoint: [],
    cmd: ['bash'],
    shell: 'bash',
    binSh: 'dash',
    tools: [...DEBIAN, ...BIND, 'ping', 'ip'],
    listens: [],
    about: 'Debian jessie with dnsutils (the Debugging DNS Resolution page): dig, nslookup, host.',
  },
  {
    names: ['registry.k8s.io/e2e-test-images/agnhost'],
    tags: LATEST_OR_VERSION,
    model: 'agnhost',
    entrypoint: ['/agnhost'],
    cmd: ['pause'],
    shell: 'ash',
    tools: BUSYBOX,
    listens: [],
    about: 'agnhost: `netexec`, `serve-hostname`, `pause` (no arguments means pause).',
  },
  {
    names: ['registry.k8s.io/serve_hostname'],
    tags: LATEST_OR_VERSION,
    model: 'serve-hostname',
    entrypoint: ['/serve_hostname'],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: ['0.0.0.0:9376/TCP'],
    about: 'serve_hostname: answers its pod name on :9376.',
  },
  {
    names: ['docker.io/hashicorp/http-echo'],
    tags: LATEST_OR_VERSION,
    model: 'http-echo',
    entrypoint: ['/http-echo'],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: [],
    about:
      'http-echo: `-text` on `-listen` (default :5678); refuses to start without -text; scratch, no shell.',
  },
  {
    names: ['docker.io/traefik/whoami'],
    tags: LATEST_OR_VERSION,
    model: 'whoami',
    entrypoint: ['/whoami'],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: [':::80/TCP'],
    about: 'whoami: prints hostname, IPs and the request on :80 (`--port`, WHOAMI_PORT_NUMBER).',
  },
  {
    names: ['docker.io/kennethreitz/httpbin'],
    tags: LATEST_OR_VERSION,
    model: 'httpbin',
    entrypoint: [],
    cmd: ['gunicorn', '-b', '0.0.0.0:80', 'httpbin:app', '-k', 'gevent'],
    shell: 'dash',
    tools: DEBIAN,
    listens: ['0.0.0.0:80/TCP'],
    about: 'httpbin on :80: /get, /headers, /ip, /status/<code>, /anything.',
  },
  {
    names: ['docker.io/library/redis'],
    tags: LATEST_OR_VERSION,
    model: 'database',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    shell: 'dash',
    tools: DEBIAN,
    listens: ['0.0.0.0:6379/TCP', ':::6379/TCP'],
    about: 'redis-server on :6379 (TCP, not HTTP).',
  },
  {
    names: ['docker.io/library/postgres'],
    tags: LATEST_OR_VERSION,
    model: 'database',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    shell: 'dash',
    tools: DEBIAN,
    listens: ['0.0.0.0:5432/TCP', ':::5432/TCP'],
    about: 'postgres on :5432; exits 1 without POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust).',
  },
  {
    names: ['docker.io/library/mysql'],
    tags: LATEST_OR_VERSION,
    model: 'database',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mysqld'],
    shell: 'bash',
    tools: DEBIAN,
    listens: [':::3306/TCP', ':::33060/TCP'],
    about: 'mysqld on :3306 and :33060; exits 1 without MYSQL_ROOT_PASSWORD / _ALLOW_EMPTY_ / _RANDOM_ROOT_.',
  },
  {
    names: ['registry.k8s.io/ingress-nginx/controller'],
    tags: LATEST_OR_VERSION,
    model: 'ingress-nginx',
    entrypoint: ['/usr/bin/dumb-init', '--'],
    cmd: ['/nginx-ingress-controller'],
    shell: 'bash',
    binSh: 'ash',
    tools: [...BUSYBOX.filter((t) => t !== 'httpd'), 'curl'],
    listens: ['0.0.0.0:80/TCP', '0.0.0.0:443/TCP', '0.0.0.0:10254/TCP', '127.0.0.1:8181/TCP'],
    about:
      'ingress-nginx controller: routes the Ingresses of its class on :80 (404/503 pages as nginx writes them), /healthz on :10254.',
  },
  {
    names: ['registry.k8s.io/pause'],
    tags: LATEST_OR_VERSION,
    model: 'pause',
    entrypoint: ['/pause'],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: [],
    about: 'pause: sleeps forever.',
  },
  {
    names: ['registry.k8s.io/coredns/coredns'],
    tags: LATEST_OR_VERSION,
    model: 'coredns',
    entrypoint: ['/coredns'],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: [':::53/UDP', ':::53/TCP', ':::8080/TCP', ':::8181/TCP', ':::9153/TCP'],
    about: 'CoreDNS (kube-system).',
  },
  {
    names: ['registry.k8s.io/kube-proxy'],
    tags: LATEST_OR_VERSION,
    model: 'kube-proxy',
    entrypoint: [],
    cmd: [],
    shell: 'none',
    // distroless-iptables: no shell, but kube-proxy's own iptables-nft and conntrack.
    tools: NETFILTER,
    listens: [':::10256/TCP', '127.0.0.1:10249/TCP'],
    about: 'kube-proxy (kube-system, host network).',
  },
  {
    names: [
      'docker.io/kindest/kindnetd',
      'docker.io/calico/node',
      'docker.io/calico/cni',
      'docker.io/flannel/flannel',
      'docker.io/flannel/flannel-cni-plugin',
      'quay.io/cilium/cilium',
      'ghcr.io/flannel-io/flannel',
    ],
    tags: LATEST_OR_VERSION,
    model: 'cni-agent',
    entrypoint: [],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: [],
    about: 'CNI agents (kindnetd, calico-node, flannel, cilium).',
  },
  {
    names: [
      'registry.k8s.io/etcd',
      'registry.k8s.io/kube-controller-manager',
      'registry.k8s.io/kube-scheduler',
    ],
    tags: LATEST_OR_VERSION,
    model: 'control-plane',
    entrypoint: [],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: [],
    about: 'The control plane static pods.',
  },
  {
    names: ['registry.k8s.io/kube-apiserver'],
    tags: LATEST_OR_VERSION,
    model: 'kube-apiserver',
    entrypoint: [],
    cmd: [],
    shell: 'none',
    tools: [],
    listens: ['0.0.0.0:6443/TCP'],
    about:
      "kube-apiserver: TLS on the node's :6443, answered by the sim's API (RBAC for in-cluster clients).",
  },
  {
    names: ['docker.io/netlab/toolbox', 'netlab/toolbox'],
    tags: LATEST_OR_VERSION,
    model: 'toolbox',
    entrypoint: [],
    cmd: ['sleep', 'infinity'],
    shell: 'bash',
    binSh: 'dash',
    tools: [],
    listens: [],
    about: 'The lab toolbox: exec opens a real sandboxed shell with kubectl.',
  },
];

/**
 * Which nslookup an image ships: bind's where it has dig (dnsutils, netshoot), else busybox, whose
 * version the tag decides — busybox 1.28 and older, alpine 3.8 and older (busybox 1.28.4), and the
 * old gcr.io / registry.k8s.io busybox builds keep the C library's resolver; 1.29 on has its own.
 */
export function dnsClientOf(entry: CatalogImage, ref: ImageRef): DnsClient | undefined {
  if (entry.tools.includes('dig')) return 'bind';
  if (!entry.tools.includes('nslookup')) return undefined;
  const version = /^v?(\d+)\.(\d+)/.exec(ref.tag);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [undefined, undefined];
  if (ref.repository === 'library/busybox') {
    return major !== undefined && (major < 1 || (major === 1 && minor! < 29)) ? 'busybox-1.28' : 'busybox';
  }
  if (ref.repository === 'library/alpine') {
    return major !== undefined && major === 3 && minor! <= 8 ? 'busybox-1.28' : 'busybox';
  }
  if (entry.names[0] === 'docker.io/library/busybox') return 'busybox-1.28';
  return 'busybox';
}

/**
 * A lab's own image, declared in its lab.yaml with the same model as a catalog row: the repository
 * (any tag or digest pulls), the behaviour model it runs and, where they differ from that model's
 * catalog image, its ENTRYPOINT/CMD, shell and tools.
 */
/**
 * A port an image serves TLS on (a lab's own image, lab.yaml `images[].tls`): the PEM file (leaf
 * first) it presents, usually mounted from a `kubernetes.io/tls` Secret, and what a plain HTTP
 * request to that port gets: the connection closed (`close`, most TLS servers) or Go net/http's
 * `400 Client sent an HTTP request to an HTTPS server` (`go-400`).
 */
export interface DeclaredTls {
  port: number;
  certificate: string;
  plainHttp?: 'close' | 'go-400';
}

export interface ImageDeclaration {
  /** The repository (`ghcr.io/acme/shop-api`, `acme/shop`); a tag given here is ignored. */
  image: string;
  /** The behaviour model (`nginx`, `http-echo`, `shell`, …; see {@link DECLARABLE_MODELS}). */
  model: string;
  entrypoint?: readonly string[];
  cmd?: readonly string[];
  shell?: ShellFlavour;
  tools?: readonly string[];
  /** What its default command listens on, for the docs (`0.0.0.0:8080/TCP`). */
  listens?: readonly string[];
  /** Ports it serves TLS on, with the certificate file it presents. */
  tls?: readonly DeclaredTls[];
  about?: string;
}

/** The behaviour models a lab may give its own image (the lab schema's list: lab.yaml validates it). */
export const DECLARABLE_MODELS = DECLARABLE_IMAGE_MODELS;

/**
 * The catalog row of a declared image: the model's own catalog image (the first row running it)
 * with the declaration's fields over it. Throws, naming the model and the choices, for a model the
 * sim does not have.
 */
export function declaredCatalogImage(decl: ImageDeclaration): CatalogImage {
  if (!(DECLARABLE_MODELS as readonly string[]).includes(decl.model)) {
    throw new Error(
      `image ${decl.image}: unknown model "${decl.model}"; use one of ${DECLARABLE_MODELS.join(', ')}`,
    );
  }
  // A declared shell replaces the model image's, and with it what its /bin/sh was.
  const { binSh, ...base } = IMAGE_CATALOG.find((e) => e.model === decl.model)!;
  const ref = parseImage(decl.image);
  return {
    ...base,
    names: [`${ref.registry}/${ref.repository}`],
    tags: /^.+$/,
    ...(decl.entrypoint ? { entrypoint: decl.entrypoint } : {}),
    ...(decl.cmd ? { cmd: decl.cmd } : {}),
    ...(decl.shell ? { shell: decl.shell } : binSh ? { binSh } : {}),
    ...(decl.tools ? { tools: decl.tools } : {}),
    ...(decl.tls ? { tls: decl.tls } : {}),
    listens: decl.listens ?? [],
    about: decl.about ?? `${decl.image}: declared by the lab (model ${decl.model}).`,
  };
}

const BY_NAME = new Map<string, CatalogImage>(IMAGE_CATALOG.flatMap((e) => e.names.map((n) => [n, e])));

/** Why a reference cannot be pulled, in containerd's words. */
export interface PullFailure {
  /** `NotFound` (the tag) or `Unknown` (the repository), as the CRI error code. */
  code: 'NotFound' | 'Unknown';
  message: string;
}

/** The catalog entry of a reference (`docker.io/library/nginx` for `nginx:1.27`), if the sim knows it. */
export function catalogEntry(
  ref: ImageRef,
  declared: readonly CatalogImage[] = [],
): CatalogImage | undefined {
  const own = declared.find((e) => e.names.includes(`${ref.registry}/${ref.repository}`));
  return own ?? BY_NAME.get(`${ref.registry}/${ref.repository}`) ?? BY_NAME.get(ref.repository);
}

/**
 * Whether containerd could pull the reference from its registry; undefined when it could, else
 * the failure as containerd words it (a missing repository is "pull access denied", a missing
 * tag "not found", a registry that does not resolve "no such host").
 */
export function pullFailure(
  ref: ImageRef,
  extra: readonly string[] = [],
  declared: readonly CatalogImage[] = [],
): PullFailure | undefined {
  const canonical = `${ref.registry}/${ref.repository}`;
  const shown = ref.digest ? `${canonical}@${ref.digest}` : `${canonical}:${ref.tag}`;
  const prefix = `failed to pull and unpack image "${shown}": failed to resolve reference "${shown}"`;
  if (extra.some((e) => e === ref.full || e === canonical || e === ref.repository)) return undefined;
  const entry = catalogEntry(ref, declared);
  if (!entry) {
    if (!['docker.io', 'registry.k8s.io', 'gcr.io', 'quay.io', 'ghcr.io'].includes(ref.registry)) {
      return {
        code: 'Unknown',
        message: `${prefix}: failed to do request: Head "https://${ref.registry}/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag}": dial tcp: lookup ${ref.registry} on 172.18.0.1:53: no such host`,
      };
    }
    return {
      code: 'Unknown',
      message: `${prefix}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    };
  }
  if (!ref.digest && !entry.tags.test(ref.tag)) {
    return { code: 'NotFound', message: `${prefix}: ${shown}: not found` };
  }
  return undefined;
}
