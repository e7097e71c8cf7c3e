import type { AppInstance, AppListener, AppModel, ImageRef } from './app-model';
import { parseCorefile } from './corefile';
import { goLogTime, pathOnly, respond } from './http-util';

function fixed(
  name: string,
  match: (i: ImageRef) => boolean,
  listeners: AppListener[],
  logs: (now: number) => string[],
  health: Record<number, Record<string, string>> = {},
): AppModel {
  return {
    name,
    matches: match,
    entrypoint: [],
    cmd: [],
    start(argv, ctx): AppInstance {
      return {
        listeners,
        processes: [{ user: 'root', command: argv.join(' ') || name }],
        startupLogs: logs(ctx.now()),
        handlesSigterm: true,
        http(port, req) {
          const routes = health[port];
          if (!routes) return undefined;
          const body = routes[pathOnly(req.path)];
          const response =
            body === undefined
              ? respond(404, '404 page not found\n', ctx.now(), {
                  'Content-Type': 'text/plain; charset=utf-8',
                })
              : respond(200, body, ctx.now(), { 'Content-Type': 'text/plain; charset=utf-8' });
          return { response, log: [] };
        },
      };
    },
  };
}

const tcp = (address: string, port: number): AppListener => ({ address, port, protocol: 'TCP' });
const udp = (address: string, port: number): AppListener => ({ address, port, protocol: 'UDP' });

/** registry.k8s.io/pause: sleeps forever, listens on nothing. */
export const pauseApp = fixed(
  'pause',
  (i) => i.repository === 'pause' || i.repository === 'google_containers/pause',
  [],
  () => [],
);

/** CoreDNS: DNS on :53 (answers come from the networking model), health :8080, ready :8181, metrics :9153. */
const coreDnsServer = fixed(
  'coredns',
  (i) => i.repository === 'coredns/coredns' || i.repository === 'coredns',
  [udp('::', 53), tcp('::', 53), tcp('::', 8080), tcp('::', 8181), tcp('::', 9153)],
  () => [
    '.:53',
    '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
    'CoreDNS-1.11.1',
    'linux/amd64, go1.20.7, ae2bbc2',
  ],
  { 8080: { '/health': 'OK' }, 8181: { '/ready': 'OK' } },
);

/** CoreDNS: reads its Corefile at start (a broken one: the parse error and exit 1, so CrashLoopBackOff). */
export const coreDnsApp: AppModel = {
  ...coreDnsServer,
  start(argv, ctx): AppInstance {
    const text = ctx.files?.['/etc/coredns/Corefile'];
    const config = text === undefined ? { ok: true as const, log: false } : parseCorefile(text);
    if (!config.ok) {
      return {
        listeners: [],
        processes: [{ user: 'root', command: argv.join(' ') || 'coredns' }],
        startupLogs: [config.error],
        exit: { afterMs: 0, code: 1 },
        handlesSigterm: true,
      };
    }
    return { ...coreDnsServer.start(argv, ctx), dns: { log: config.log } };
  },
};

/** kube-proxy: host network, healthz :10256, metrics 127.0.0.1:10249. */
export const kubeProxyApp = fixed(
  'kube-proxy',
  (i) => i.repository === 'kube-proxy' || i.repository.endsWith('/kube-proxy'),
  [tcp('::', 10256), tcp('127.0.0.1', 10249)],
  (now) => {
    const t = new Date(now).toISOString().slice(5, 10).replace('-', '');
    return [
      `I${t} 1 server_linux.go:69] "Using iptables proxy"`,
      `I${t} 1 server.go:1062] "Successfully retrieved node IP(s)" IPs=["172.18.0.2"]`,
      `I${t} 1 server_linux.go:165] "Using iptables Proxier"`,
      `I${t} 1 proxier.go:243] "Setting route_localnet=1 to allow node-ports on localhost"`,
      `I${t} 1 shared_informer.go:320] Caches are synced for service config`,
    ];
  },
  { 10256: { '/healthz': '{"lastUpdated":"","currentTime":""}', '/livez': 'ok' } },
);

/** CNI agents: kindnetd, calico-node, flannel, cilium-agent. */
export const cniAgentApp = fixed(
  'cni-agent',
  (i) => /kindnetd|calico\/node|flannel|cilium\/cilium/.test(i.repository),
  [],
  (now) => [`${goLogTime(now)} [INFO] handling current node`, `${goLogTime(now)} [INFO] CNI config written`],
);

/** The control plane's static pods: etcd, kube-apiserver, kube-controller-manager, kube-scheduler. */
export const controlPlaneApp = fixed(
  'control-plane',
  (i) => /(^|\/)(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)$/.test(i.repository),
  [],
  () => [],
);

/** httpd (Apache): 0.0.0.0:80, "It works!". */
export const apacheApp: AppModel = {
  ...fixed(
    'httpd',
    (i) => i.repository === 'library/httpd',
    [tcp('0.0.0.0', 80), tcp('::', 80)],
    () => [
      "AH00558: httpd: Could not reliably determine the server's fully qualified domain name. Set the 'ServerName' directive globally to suppress this message",
      "AH00094: Command line: 'httpd -D FOREGROUND'",
    ],
  ),
  cmd: ['httpd-foreground'],
  start(argv, ctx) {
    return {
      listeners: [tcp('0.0.0.0', 80), tcp('::', 80)],
      processes: [{ user: 'root', command: argv.join(' ') }],
      startupLogs: ["AH00094: Command line: 'httpd -D FOREGROUND'"],
      handlesSigterm: true,
      http(port, req) {
        if (port !== 80) return undefined;
        const ok = pathOnly(req.path) === '/';
        const response = ok
          ? respond(200, '<html><body><h1>It works!</h1></body></html>\n', ctx.now(), {
              Server: 'Apache/2.4.62 (Unix)',
              'Content-Type': 'text/html',
            })
          : respond(
              404,
              '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
              ctx.now(),
              { Server: 'Apache/2.4.62 (Unix)', 'Content-Type': 'text/html; charset=iso-8859-1' },
            );
        return {
          response,
          log: [
            `${req.client.ip} - - [${new Date(ctx.now()).toUTCString()}] "${req.method} ${req.path} HTTP/1.1" ${response.status} ${response.body.length}`,
          ],
        };
      },
    };
  },
};

/** The image of the lab toolbox pod: exec there opens a real shell on the host (see toolbox/). */
export const TOOLBOX_REPOSITORY = 'netlab/toolbox';

/** netlab/toolbox: idles; exec is served by the real sandboxed shell. */
export const toolboxApp = fixed(
  'toolbox',
  (i) => i.repository === TOOLBOX_REPOSITORY || i.repository === `library/${TOOLBOX_REPOSITORY}`,
  [],
  () => [],
);
