import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startRuntimeWorld, waitReady, type KubectlWorld } from './kubectl-harness';

const TLS = join(__dirname, '../fixtures/tls');
const fixture = (name: string) => join(TLS, name);
const HELP =
  'More details here: https://curl.se/docs/sslcerts.html\n\n' +
  'curl failed to verify the legitimacy of the server and therefore could not\n' +
  'establish a secure connection to it. To learn more about this situation and\n' +
  'how to fix it, please visit the web page mentioned above.\n';

const NGINX_CONF = `server {
    listen 80;
    listen 443 ssl;
    ssl_certificate /etc/nginx/tls/tls.crt;
    ssl_certificate_key /etc/nginx/tls/tls.key;
    location / {
        return 200 "hello over tls\\n";
    }
}
`;

/** An nginx Pod serving NGINX_CONF with the TLS Secret `secret`, and its Service on 80 and 443. */
function tlsServer(name: string, secret: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: { app: ${name} }
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{ containerPort: 80 }, { containerPort: 443 }]
    volumeMounts:
    - { name: conf, mountPath: /etc/nginx/conf.d }
    - { name: tls, mountPath: /etc/nginx/tls, readOnly: true }
  volumes:
  - name: conf
    configMap: { name: tls-conf }
  - name: tls
    secret: { secretName: ${secret} }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports:
  - { name: http, port: 80, targetPort: 80 }
  - { name: https, port: 443, targetPort: 443 }
`;
}

const CLIENTS = `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: curl
    image: curlimages/curl:8.5.0
    command: [sleep, "3600"]
    volumeMounts: [{ name: ca, mountPath: /ca }]
  volumes:
  - name: ca
    configMap: { name: cas }
---
apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: [sleep, "3600"]
`;

/** HTTPS in the sim as curl and wget see it: nginx with a TLS server block from a kubernetes.io/tls Secret. */
describe('HTTPS through kubectl exec', { timeout: 180_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const curl = (...args: string[]) => k('exec', 'client', '--', 'curl', ...args);
  let clusterIP = '';

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    for (const [name, cert] of [
      ['web-tls', 'web'],
      ['old-tls', 'expired'],
      ['self-tls', 'self'],
    ]) {
      const made = await k(
        'create',
        'secret',
        'tls',
        name!,
        `--cert=${fixture(`${cert}.crt`)}`,
        `--key=${fixture(`${cert}.key`)}`,
      );
      expect(made.stderr).toBe('');
    }
    expect(
      (
        await k(
          'create',
          'configmap',
          'tls-conf',
          `--from-file=default.conf=${sut.file('default.conf', NGINX_CONF)}`,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await k(
          'create',
          'configmap',
          'cas',
          `--from-file=ca.crt=${fixture('ca.crt')}`,
          `--from-file=other.crt=${fixture('other-ca.crt')}`,
        )
      ).code,
    ).toBe(0);
    const manifest = [
      tlsServer('web', 'web-tls'),
      tlsServer('old', 'old-tls'),
      tlsServer('self', 'self-tls'),
      CLIENTS,
    ].join('---\n');
    expect((await k('apply', '-f', sut.file('tls.yaml', manifest))).code).toBe(0);
    await waitReady(sut, ['web', 'old', 'self', 'client', 'bb']);
    clusterIP = (await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  }, 150_000);
  afterAll(() => sut?.stop());

  it('should refuse a certificate from a CA the client does not trust, and accept it with --cacert or -k', async () => {
    const unknown = await curl('-sS', 'https://web/');
    expect(unknown.code).toBe(60);
    expect(unknown.stderr).toBe(
      `curl: (60) SSL certificate problem: unable to get local issuer certificate\n${HELP}command terminated with exit code 60\n`,
    );

    const wrongCa = await curl('-sS', '--cacert', '/ca/other.crt', 'https://web/');
    expect(wrongCa.code).toBe(60);

    const trusted = await curl('-sS', '--cacert', '/ca/ca.crt', 'https://web/');
    expect(trusted).toMatchObject({ code: 0, stdout: 'hello over tls\n', stderr: '' });

    const insecure = await curl('-sk', 'https://web/');
    expect(insecure).toMatchObject({ code: 0, stdout: 'hello over tls\n' });
  });

  it('should check the host name against the subjectAltNames, and --resolve keeps the name while pinning the address', async () => {
    const byIp = await curl('-sS', '--cacert', '/ca/ca.crt', `https://${clusterIP}/`);
    expect(byIp.code).toBe(60);
    expect(byIp.stderr).toContain(
      `curl: (60) SSL: no alternative certificate subject name matches target host name '${clusterIP}'\n`,
    );

    const alias = await curl(
      '-sS',
      '--cacert',
      '/ca/ca.crt',
      '--resolve',
      `api:443:${clusterIP}`,
      'https://api/',
    );
    expect(alias.stderr).toContain(
      "curl: (60) SSL: no alternative certificate subject name matches target host name 'api'\n",
    );

    const pinned = await curl(
      '-sS',
      '--cacert',
      '/ca/ca.crt',
      '--resolve',
      `web.default.svc:443:${clusterIP}`,
      'https://web.default.svc/',
    );
    expect(pinned).toMatchObject({ code: 0, stdout: 'hello over tls\n' });
  });

  it('should print the handshake and the server certificate with -v', async () => {
    const r = await curl('-sv', '--cacert', '/ca/ca.crt', 'https://web/');

    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      '* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n*  CAfile: /ca/ca.crt\n*  CApath: /etc/ssl/certs\n',
    );
    expect(r.stderr).toContain(
      '* Server certificate:\n*  subject: CN=web.default.svc\n*  start date: Jan  1 00:00:00 2026 GMT\n' +
        '*  expire date: Jan  1 00:00:00 2126 GMT\n*  subjectAltName: host "web" matched cert\'s "web"\n' +
        '*  issuer: O=netlab; CN=netlab test CA\n*  SSL certificate verify ok.\n',
    );
    expect(r.stderr.indexOf('*  SSL certificate verify ok.')).toBeLessThan(
      r.stderr.indexOf('> GET / HTTP/1.1'),
    );
  });

  it('should name an expired and a self-signed certificate as OpenSSL does', async () => {
    const expired = await curl('-sS', '--cacert', '/ca/ca.crt', 'https://old/');
    expect(expired.code).toBe(60);
    expect(expired.stderr).toContain('curl: (60) SSL certificate problem: certificate has expired\n');

    const self = await curl('-sS', 'https://self/');
    expect(self.stderr).toContain('curl: (60) SSL certificate problem: self-signed certificate\n');
  });

  it("should answer plain HTTP on the TLS port with nginx's 400 and fail TLS on the plain port", async () => {
    const plain = await curl('-s', 'http://web:443/');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('<title>400 The plain HTTP request was sent to HTTPS port</title>');

    const wrongPort = await curl('-sS', 'https://web:80/');
    expect(wrongPort.code).toBe(35);
    expect(wrongPort.stderr).toContain(
      'curl: (35) OpenSSL/3.1.4: error:0A00010B:SSL routines::wrong version number\n',
    );
  });

  it('should pass an HTTPS readiness probe on the TLS port and fail an HTTP one there with the 400', async () => {
    const probed = (name: string, scheme: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe:
      httpGet: { path: /, port: 443, scheme: ${scheme} }
      periodSeconds: 1
    volumeMounts:
    - { name: conf, mountPath: /etc/nginx/conf.d }
    - { name: tls, mountPath: /etc/nginx/tls }
  volumes:
  - { name: conf, configMap: { name: tls-conf } }
  - { name: tls, secret: { secretName: web-tls } }
`;
    const manifest = [probed('probe-https', 'HTTPS'), probed('probe-http', 'HTTP')].join('---\n');
    expect((await k('apply', '-f', sut.file('probed.yaml', manifest))).code).toBe(0);

    expect((await k('wait', '--for=condition=Ready', 'pod/probe-https', '--timeout=60s')).code).toBe(0);
    await eventually(
      async () =>
        (
          await k(
            'get',
            'events',
            '--field-selector',
            'involvedObject.name=probe-http',
            '-o',
            'jsonpath={.items[*].message}',
          )
        ).stdout.includes('Readiness probe failed: HTTP probe failed with statuscode: 400'),
      'the HTTP probe to fail with 400',
      60_000,
    );
    const ready = await k(
      'get',
      'pod',
      'probe-http',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    );
    expect(ready.stdout).toBe('False');
  });

  it("should fetch over TLS with busybox's wget, which does not validate certificates", async () => {
    const r = await k('exec', 'bb', '--', 'wget', '-qO-', 'https://self/');

    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hello over tls\n');
    expect(r.stderr).toBe('wget: note: TLS certificate validation not implemented\n');
  });
});

/** A lab's own image that serves TLS (lab.yaml `images[].tls`), with its certificate from a Secret. */
describe('a declared image serving TLS through kubectl exec', { timeout: 180_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld({
      images: [
        {
          image: 'ghcr.io/acme/shop-api',
          model: 'http-echo',
          cmd: ['-listen=:8443', '-text=shop over tls'],
          tls: [{ port: 8443, certificate: '/etc/tls/tls.crt', plainHttp: 'go-400' }],
        },
      ],
    });
    const secret = await k(
      'create',
      'secret',
      'tls',
      'web-tls',
      `--cert=${fixture('web.crt')}`,
      `--key=${fixture('web.key')}`,
    );
    expect(secret.code).toBe(0);
    expect((await k('create', 'configmap', 'cas', `--from-file=ca.crt=${fixture('ca.crt')}`)).code).toBe(0);
    const manifest = `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec:
  containers:
  - name: api
    image: ghcr.io/acme/shop-api:1.4
    volumeMounts: [{ name: tls, mountPath: /etc/tls }]
  volumes: [{ name: tls, secret: { secretName: web-tls } }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 443, targetPort: 8443 }]
---
${CLIENTS}`;
    expect((await k('apply', '-f', sut.file('shop.yaml', manifest))).code).toBe(0);
    await waitReady(sut, ['web', 'client']);
    // As on kind, the Service routes to a Pod a moment after it is Ready (its EndpointSlice, then
    // kube-proxy's sync): wait for that, as a user would, before asserting what the client sees.
    await eventually(
      async () =>
        (await k('exec', 'client', '--', 'curl', '-ksS', '-o', '/dev/null', 'https://web/')).code === 0,
      'Service web to route to its Pod',
      30_000,
    );
  }, 150_000);
  afterAll(() => sut?.stop());

  it("should serve its answer over TLS to a client that trusts the CA, and Go's 400 to plain HTTP", async () => {
    const trusted = await k('exec', 'client', '--', 'curl', '-sS', '--cacert', '/ca/ca.crt', 'https://web/');
    expect(trusted).toMatchObject({ code: 0, stdout: 'shop over tls\n' });

    const untrusted = await k('exec', 'client', '--', 'curl', '-sS', 'https://web/');
    expect(untrusted.code).toBe(60);

    const plain = await k('exec', 'client', '--', 'curl', '-sS', 'http://web:443/');
    expect(plain.stdout).toBe('Client sent an HTTP request to an HTTPS server.\n');
  });
});
