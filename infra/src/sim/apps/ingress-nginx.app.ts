import type { AppHttpResponse, AppModel } from './app-model';
import { pathOnly, respond } from './http-util';
import { parseIngressNginxArgs } from './ingress-nginx-routing';

/** The controller release the sim models, and the nginx it bundles. */
export const INGRESS_NGINX_RELEASE = 'v1.12.1';
const NGINX_VERSION = 'nginx/1.25.5';

/** nginx's reason phrases where they differ from the RFC's (`503 Service Temporarily Unavailable`). */
const NGINX_REASON: Record<number, string> = {
  301: 'Moved Permanently',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/**
 * An error page as ingress-nginx's nginx writes it (`server_tokens off`, so no version): the
 * default backend's 404, and 502/503/504 when a backend has no endpoint or does not answer.
 */
export function ingressNginxError(status: 301 | 404 | 502 | 503 | 504, now: number): AppHttpResponse {
  const text = `${status} ${NGINX_REASON[status]}`;
  const body = `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  const response = respond(status, body, now, { 'Content-Type': 'text/html', Connection: 'keep-alive' });
  return {
    ...response,
    statusText: NGINX_REASON[status]!,
    headers: { Server: 'nginx', ...response.headers },
  };
}

/** klog's line prefix: `I1202 02:10:00.123456       7 `. */
export function klogPrefix(level: 'I' | 'W' | 'E', ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${level}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}       7 `;
}

/**
 * registry.k8s.io/ingress-nginx/controller: `/nginx-ingress-controller` with its flags. It listens on
 * the HTTP/HTTPS ports, healthz/metrics (10254) and the webhook port when given; `/healthz` answers
 * `ok`. HTTP traffic on its HTTP port is routed by the dataplane's ingress proxy from the Ingresses
 * it serves (the flags are on `instance.ingressNginx`).
 */
export const ingressNginxApp: AppModel = {
  name: 'ingress-nginx',
  matches: (i) => i.repository === 'ingress-nginx/controller',
  entrypoint: ['/usr/bin/dumb-init', '--'],
  cmd: ['/nginx-ingress-controller'],
  start(argv, ctx) {
    const config = parseIngressNginxArgs(argv);
    const now = ctx.now();
    const ns = ctx.env['POD_NAMESPACE'] ?? 'ingress-nginx';
    const i = klogPrefix('I', now);
    const tcp = (port: number) => ({ address: '0.0.0.0', port, protocol: 'TCP' as const });
    return {
      listeners: [
        tcp(config.httpPort),
        tcp(config.httpsPort),
        tcp(config.healthzPort),
        { address: '127.0.0.1', port: 8181, protocol: 'TCP' },
        ...(config.webhookPort ? [tcp(config.webhookPort)] : []),
      ],
      processes: [
        { user: 'www-data', command: `/usr/bin/dumb-init -- ${argv.slice(2).join(' ')}`.trim() },
        { user: 'www-data', command: argv.slice(2).join(' ') || '/nginx-ingress-controller' },
        { user: 'www-data', command: 'nginx: master process /usr/bin/nginx -c /etc/nginx/nginx.conf' },
        { user: 'www-data', command: 'nginx: worker process' },
      ],
      startupLogs: [
        '-------------------------------------------------------------------------------',
        'NGINX Ingress controller',
        `  Release:       ${INGRESS_NGINX_RELEASE}`,
        '  Build:         ff50af8c3a1e7b5b3cd5fd1f3b6a1f4f2e0e1a1f',
        '  Repository:    https://github.com/kubernetes/ingress-nginx',
        `  nginx version: ${NGINX_VERSION}`,
        '',
        '-------------------------------------------------------------------------------',
        '',
        `${klogPrefix('W', now)}client_config.go:667] Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.`,
        `${i}main.go:205] "Creating API client" host="https://10.96.0.1:443"`,
        `${i}main.go:101] "SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"`,
        `${i}nginx.go:271] "Starting NGINX Ingress controller"`,
        `${i}event.go:377] Event(v1.ObjectReference{Kind:"ConfigMap", Namespace:"${ns}", Name:"ingress-nginx-controller"}): type: 'Normal' reason: 'CREATE' ConfigMap ${ns}/ingress-nginx-controller`,
        `${i}nginx.go:317] "Starting NGINX process"`,
        `${i}leaderelection.go:254] attempting to acquire leader lease ${ns}/ingress-nginx-leader...`,
        `${i}controller.go:193] "Configuration changes detected, backend reload required"`,
        `${i}controller.go:213] "Backend successfully reloaded"`,
        `${i}controller.go:224] "Initial sync, sleeping for 1 second"`,
        `${i}leaderelection.go:268] successfully acquired lease ${ns}/ingress-nginx-leader`,
        `${i}status.go:85] "New leader elected" identity="${ctx.hostname}"`,
      ],
      handlesSigterm: true,
      ingressNginx: config,
      http(port, req) {
        if (port !== config.healthzPort) return undefined;
        const path = pathOnly(req.path);
        const response =
          path === '/healthz'
            ? respond(200, 'ok', ctx.now(), { 'Content-Type': 'text/plain; charset=utf-8' })
            : respond(404, '404 page not found\n', ctx.now(), {
                'Content-Type': 'text/plain; charset=utf-8',
              });
        return { response, log: [] };
      },
    };
  },
};
