import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** The ingress-nginx manifest the Ingress labs apply (kind's, without the admission webhook). */
const MANIFEST = readFileSync(
  join(__dirname, '../../../labs/catalog/ingress-wrong-backend/manifests/ingress-nginx.yaml'),
  'utf8',
);

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: hashicorp/http-echo:1.0
          args: ['-listen=:8080', '-text=hello from web']
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      containers:
        - name: echo
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          args: ['netexec', '--http-port=8080']
          ports: [{ containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: default }
spec:
  selector: { app: echo }
  ports: [{ port: 8080, targetPort: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: default }
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
          - { path: /api, pathType: Exact, backend: { service: { name: echo, port: { number: 8080 } } } }
          - { path: /clientip, pathType: Prefix, backend: { service: { name: echo, port: { number: 8080 } } } }
          - { path: /gone, pathType: Prefix, backend: { service: { name: missing, port: { number: 80 } } } }
          - { path: /badport, pathType: Prefix, backend: { service: { name: web, port: { number: 8080 } } } }
`;

/** ingress-nginx as the kind guide installs it, driven by the real kubectl: status, describe, routing, pages. */
describe('ingress-nginx controller seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const curl = (...args: string[]) =>
    k('exec', 'shoot', '--', 'curl', '-sS', '-i', '--max-time', '3', ...args);

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    expect((await k('apply', '-f', sut.file('ingress-nginx.yaml', MANIFEST))).code).toBe(0);
    expect((await k('apply', '-f', sut.file('app.yaml', APP))).code).toBe(0);
    await k('run', 'shoot', '--image=nicolaka/netshoot', '--', 'sleep', '3600');
    const ready = await k('wait', '--for=condition=Ready', 'pod', '--all', '-A', '--timeout=60s');
    expect(ready.code).toBe(0);
  }, 90_000);
  afterAll(() => sut?.stop());

  const viaController = (path: string, host = 'shop.example.com') =>
    curl('-H', `Host: ${host}`, `http://ingress-nginx-controller.ingress-nginx${path}`);

  it("should publish localhost as the Ingress address when the controller runs with kind's flags", async () => {
    const r = await k('get', 'ingress', 'shop');

    expect(r.stdout).toMatch(/^shop\s+nginx\s+shop\.example\.com\s+localhost\s+80\s+/m);
  });

  it('should show each backend with its endpoints, or the real describe errors, when describing the Ingress', async () => {
    const r = await k('describe', 'ingress', 'shop');

    expect(r.stdout).toMatch(/Address:\s+localhost/);
    expect(r.stdout).toMatch(/Ingress Class:\s+nginx/);
    expect(r.stdout).toMatch(/\/\s+web:80 \(10\.244\.\d+\.\d+:8080\)/);
    expect(r.stdout).toContain('missing:80 (<error: services "missing" not found>)');
    expect(r.stdout).toContain('web:8080 ()');
    expect(r.stdout).toMatch(/Normal\s+Sync\s+.*nginx-ingress-controller\s+Scheduled for sync/);
  });

  it('should proxy to the backend Pod when host and Prefix path match', async () => {
    const r = await viaController('/anything/below/root');

    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r?$/m);
    expect(r.stdout).toMatch(/^Server: nginx\r?$/m);
    expect(r.stdout).toContain('hello from web');
  });

  it('should send /api/orders to the Prefix / backend when /api is Exact', async () => {
    const exact = await viaController('/api');
    const below = await viaController('/api/orders');

    expect(exact.stdout).toContain('404 page not found'); // agnhost's own 404: the Exact route matched
    expect(below.stdout).toContain('hello from web');
  });

  it('should show the controller Pod, not the client, as the source the backend sees', async () => {
    const controllerIp = (
      await k('get', 'pod', '-n', 'ingress-nginx', '-o', 'jsonpath={.items[0].status.podIP}')
    ).stdout;

    const r = await viaController('/clientip');

    expect(r.stdout).toMatch(new RegExp(`^${controllerIp.replace(/\./g, '\\.')}:\\d+$`, 'm'));
  });

  it.each([
    ['a Service that does not exist', '/gone'],
    ['a port the Service does not have', '/badport'],
  ])("should answer nginx's 503 page when the backend names %s", async (_what, path) => {
    const r = await viaController(path);

    expect(r.stdout).toMatch(/^HTTP\/1\.1 503 Service Temporarily Unavailable\r?$/m);
    expect(r.stdout).toContain('<center><h1>503 Service Temporarily Unavailable</h1></center>');
    expect(r.stdout).toContain('<hr><center>nginx</center>');
  });

  it("should answer the default backend's 404 page when no host matches", async () => {
    const r = await viaController('/', 'other.example.com');

    expect(r.stdout).toMatch(/^HTTP\/1\.1 404 Not Found\r?$/m);
    expect(r.stdout).toContain('<center><h1>404 Not Found</h1></center>');
  });

  it('should log the sync warnings and one access-log line per request in the controller log', async () => {
    await viaController('/gone');

    const r = await k('logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller');

    expect(r.stdout).toContain('Error obtaining Endpoints for Service "default/missing"');
    expect(r.stdout).toMatch(
      /"GET \/gone HTTP\/1\.1" 503 190 .* \[default-missing-80\] \[\] - - - - [0-9a-f]{32}$/m,
    );
  });
});
