import type { DnsAnswer, ReachResult, Verdict } from '@netlab/grader/netmodel';
import type { HttpOutcome, HttpRequest, ShellHost } from '../shell-host';

/** One destination of the fake cluster: its name, address and what each port does. */
export interface FakeTarget {
  /** The Service name (`web` → `web.default.svc.cluster.local`). */
  name: string;
  ip: string;
  /** Port → verdict; ports not listed get `otherPorts`. */
  ports: Record<number, Verdict>;
  otherPorts?: Verdict;
  /** The app's HTTP answer on connected ports. */
  respond?: (request: HttpRequest) => FakeAnswer;
}

/** An app's HTTP answer in the fake cluster. */
export interface FakeAnswer {
  status: number;
  statusText: string;
  headers?: Record<string, string>;
  body: string;
}

/** The small cluster the shell specs run against: one row per verdict. */
export const FAKE_TARGETS: FakeTarget[] = [
  {
    name: 'web',
    ip: '10.96.0.20',
    ports: { 8080: 'connected' },
    otherPorts: 'refused',
    respond: (req): FakeAnswer => {
      const path = new URL(req.url).pathname;
      if (path === '/missing')
        return {
          status: 404,
          statusText: 'Not Found',
          headers: { 'Content-Type': 'text/plain' },
          body: 'not found\n',
        };
      if (path === '/old')
        return { status: 301, statusText: 'Moved Permanently', headers: { Location: '/new' }, body: '' };
      if (path === '/echo')
        return { status: 200, statusText: 'OK', headers: {}, body: `${req.method} ${req.body ?? ''}\n` };
      return {
        status: 200,
        statusText: 'OK',
        headers: { 'Content-Type': 'text/plain' },
        body: 'hello from web\n',
      };
    },
  },
  { name: 'db', ip: '10.96.0.30', ports: {}, otherPorts: 'blocked' },
  { name: 'closed', ip: '10.96.0.40', ports: {}, otherPorts: 'refused' },
  { name: 'gone', ip: '10.96.0.50', ports: {}, otherPorts: 'unreachable' },
];

const DNS_DOWN = 'dns-down';
/** The cluster DNS Service: UDP 53 answers there (`nslookup web 10.96.0.10`). */
const CLUSTER_DNS = '10.96.0.10';

function reach(verdict: Verdict): ReachResult {
  return { allowed: verdict === 'connected', verdict, path: [], reason: verdict };
}

/** A ShellHost for pod default/client (10.244.1.5) in the fake cluster; `overrides` replace fields. */
export function fakeShellHost(overrides: Partial<ShellHost> = {}): ShellHost {
  const find = (host: string) =>
    FAKE_TARGETS.find(
      (t) =>
        t.ip === host ||
        t.name === host ||
        `${t.name}.default` === host ||
        `${t.name}.default.svc.cluster.local` === host.replace(/\.$/, ''),
    );
  const verdictFor = (host: string, port: number): { target?: FakeTarget; verdict: Verdict } => {
    if (host === '127.0.0.1' || host === 'localhost')
      return { verdict: port === 9090 ? 'connected' : 'refused' };
    if (host === '10.244.1.5') return { verdict: port === 8080 ? 'connected' : 'refused' };
    if (host === CLUSTER_DNS) return { verdict: port === 53 ? 'connected' : 'refused' };
    const target = find(host);
    if (!target) return { verdict: /^\d+\.\d+\.\d+\.\d+$/.test(host) ? 'unreachable' : 'nxdomain' };
    return { target, verdict: target.ports[port] ?? target.otherPorts ?? 'refused' };
  };
  return {
    pod: { namespace: 'default', name: 'client', ip: '10.244.1.5', nodeName: 'sim-worker' },
    container: 'client',
    hostname: 'client',
    env: {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      WEB_SERVICE_HOST: '10.96.0.20',
    },
    files: {
      '/etc/resolv.conf':
        'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
      '/etc/hosts': '127.0.0.1\tlocalhost\n10.244.1.5\tclient\n',
      '/etc/hostname': 'client\n',
    },
    processes: [{ pid: 1, user: 'root', command: '/agnhost netexec --http-port=8080' }],
    listeners: [
      { namespace: 'default', pod: 'client', address: '0.0.0.0', port: 8080, protocol: 'TCP' },
      { namespace: 'default', pod: 'client', address: '127.0.0.1', port: 9090, protocol: 'TCP' },
      { namespace: 'default', pod: 'client', address: '0.0.0.0', port: 8081, protocol: 'UDP' },
    ],
    interfaces: [{ name: 'eth0', addresses: ['10.244.1.5/24'], mac: '0a:58:0a:f4:01:05', mtu: 1500 }],
    routes: ['default via 10.244.1.1 dev eth0', '10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.5'],
    resolve(name: string): DnsAnswer {
      if (name.replace(/\.$/, '') === DNS_DOWN)
        return { query: name, rcode: 'SERVFAIL', records: [], reason: 'CoreDNS has no ready endpoints' };
      const ptr = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
      if (ptr) {
        if (name === '10.0.96.10.in-addr.arpa') {
          const value = 'kube-dns.kube-system.svc.cluster.local';
          return { query: name, rcode: 'NOERROR', fqdn: name, records: [{ type: 'PTR', name, value }] };
        }
        const t = find(`${ptr[4]}.${ptr[3]}.${ptr[2]}.${ptr[1]}`);
        if (!t) return { query: name, rcode: 'NXDOMAIN', records: [] };
        return {
          query: name,
          rcode: 'NOERROR',
          fqdn: name,
          records: [{ type: 'PTR', name, value: `${t.name}.default.svc.cluster.local` }],
        };
      }
      const t = find(name);
      if (!t) return { query: name, rcode: 'NXDOMAIN', records: [], reason: `no Service ${name}` };
      const fqdn = `${t.name}.default.svc.cluster.local`;
      return { query: name, rcode: 'NOERROR', fqdn, records: [{ type: 'A', name: fqdn, value: t.ip }] };
    },
    connect(host: string, port: number): ReachResult {
      return reach(verdictFor(host, port).verdict);
    },
    async http(request: HttpRequest): Promise<HttpOutcome> {
      const url = new URL(request.url);
      const port = Number(url.port || 80);
      const { target, verdict } = verdictFor(url.hostname, port);
      if (verdict !== 'connected' || !target?.respond) return { kind: 'failure', connection: reach(verdict) };
      const answer = target.respond(request);
      return { kind: 'response', headers: {}, ...answer, remote: { ip: target.ip, port } };
    },
    ...overrides,
  };
}
