import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KUBECTL, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** An http-echo pod behind a Service (port 80 → 5678), and a Deployment of it. */
const APP = `apiVersion: v1
kind: Pod
metadata: {name: echo, labels: {app: echo}}
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo:1.0
    args: ["-listen=:5678", "-text=hello from echo"]
    ports: [{containerPort: 5678}]
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{port: 80, targetPort: 5678}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: greeter}
spec:
  replicas: 1
  selector: {matchLabels: {app: greeter}}
  template:
    metadata: {labels: {app: greeter}}
    spec:
      containers:
      - name: greeter
        image: hashicorp/http-echo:1.0
        args: ["-listen=:8081", "-text=hello from greeter"]
`;

/** A running `kubectl port-forward`, the local port it chose, and what it printed. */
interface Forward {
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

async function portForward(
  world: KubectlWorld,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Forward> {
  const child = spawn(KUBECTL, ['port-forward', ...args], {
    env: { ...world.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await eventually(
    () => /Forwarding from 127\.0\.0\.1:\d+/.test(output) || child.exitCode !== null,
    'kubectl port-forward to listen',
    30_000,
  );
  const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
  if (!m) throw new Error(`kubectl port-forward did not start:\n${output}`);
  return {
    port: Number(m[1]),
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

/** A GET from this process to the forwarded local port: status and body, or the socket error. */
function get(port: number, path = '/'): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message }));
    req.end();
  });
}

describe.each([
  { minor: 33, transport: 'SPDY in a WebSocket (kubectl 1.33)', websocket: true },
  { minor: 30, transport: 'a raw SPDY/3.1 upgrade (kubectl 1.30)', websocket: false },
])('kubectl port-forward over $transport', { timeout: 120_000 }, ({ minor, websocket }) => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld({ minor, nodes: 3 });
    expect((await k('apply', '-f', sut.file('app.yaml', APP))).code).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/echo', '--timeout=60s')).code).toBe(0);
    expect((await k('rollout', 'status', 'deploy/greeter', '--timeout=60s')).code).toBe(0);
  }, 120_000);
  afterAll(() => sut?.stop());

  it('should answer with the app when a client connects to a port forwarded to the pod', async () => {
    // -v=7 shows which dialer kubectl used: 1.31+ falls back to SPDY silently if the WebSocket fails.
    const fwd = await portForward(sut, ['pod/echo', ':5678', '-v=7']);
    try {
      expect(fwd.output()).toContain(`-> 5678`);
      expect(fwd.output().includes('Before WebSocket Upgrade')).toBe(websocket);
      expect(fwd.output()).not.toContain('fallback to secondary dialer');
      expect(await get(fwd.port)).toEqual({ status: 200, body: 'hello from echo\n' });
      // A second connection through the same session.
      expect(await get(fwd.port, '/again')).toEqual({ status: 200, body: 'hello from echo\n' });
      expect(fwd.output()).toContain(`Handling connection for ${fwd.port}`);
    } finally {
      await fwd.stop();
    }
  });

  it('should reach the Service target port when forwarding to svc/NAME', async () => {
    const fwd = await portForward(sut, ['svc/echo', ':80']);
    try {
      expect(fwd.output()).toContain('-> 5678');
      expect(await get(fwd.port)).toEqual({ status: 200, body: 'hello from echo\n' });
    } finally {
      await fwd.stop();
    }
  });

  it('should reach a pod of the Deployment when forwarding to deploy/NAME', async () => {
    const fwd = await portForward(sut, ['deploy/greeter', ':8081']);
    try {
      expect(await get(fwd.port)).toEqual({ status: 200, body: 'hello from greeter\n' });
    } finally {
      await fwd.stop();
    }
  });

  it('should answer over raw SPDY when WebSockets are turned off for port-forward', async () => {
    const fwd = await portForward(sut, ['pod/echo', ':5678'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    try {
      expect(await get(fwd.port)).toEqual({ status: 200, body: 'hello from echo\n' });
    } finally {
      await fwd.stop();
    }
  });

  it('should print the kubelet error when nothing listens on the forwarded port', async () => {
    const fwd = await portForward(sut, ['pod/echo', ':8080']);
    try {
      const answer = await get(fwd.port);
      expect(answer).toHaveProperty('error');
      await eventually(() => fwd.output().includes('connection refused'), 'the forwarding error', 15_000);
      // kubectl 1.31+ logs it as a structured klog line, which escapes the quotes.
      expect(fwd.output().replaceAll('\\"', '"')).toMatch(
        /an error occurred forwarding \d+ -> 8080: error forwarding port 8080 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]{36}": failed to connect to localhost:8080 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:8080: connect: connection refused IPv6 dial tcp6 \[::1\]:8080: connect: connection refused/,
      );
    } finally {
      await fwd.stop();
    }
  });
});

describe('client-node PortForward against the sim', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  let pf: PortForward;

  beforeAll(async () => {
    sut = await startRuntimeWorld({ nodes: 3 });
    expect((await sut.kubectl(['apply', '-f', sut.file('app.yaml', APP)])).code).toBe(0);
    const ready = await sut.kubectl(['wait', '--for=condition=Ready', 'pod/echo', '--timeout=60s'], {
      timeoutMs: 60_000,
    });
    expect(ready.code).toBe(0);
    const kc = new KubeConfig();
    kc.loadFromFile(sut.kubeconfigPath);
    pf = new PortForward(kc);
  }, 120_000);
  afterAll(() => sut?.stop());

  /** Sends one HTTP request through the channel protocol; resolves to what came back on data and error. */
  async function forward(port: number): Promise<{ data: string; error: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    let data = '';
    let error = '';
    output.on('data', (d: Buffer) => (data += d.toString()));
    errors.on('data', (d: Buffer) => (error += d.toString()));
    const ws = (await pf.portForward('default', 'echo', [port], output, errors, input)) as {
      close(): void;
    };
    input.write('GET / HTTP/1.1\r\nHost: echo\r\nConnection: close\r\n\r\n');
    await eventually(() => data.includes('hello from echo') || error.length > 0, 'an answer', 15_000).catch(
      () => undefined,
    );
    ws.close();
    return { data, error };
  }

  it('should answer with the app when client-node forwards a port the app listens on', async () => {
    const { data, error } = await forward(5678);
    expect(error).toBe('');
    expect(data).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello from echo\n$/);
  });

  it('should write the kubelet error on the error channel when nothing listens on the port', async () => {
    const { data, error } = await forward(9999);
    expect(data).toBe('');
    expect(error).toContain('error forwarding port 9999 to pod ');
    expect(error).toContain('dial tcp4 127.0.0.1:9999: connect: connection refused');
  });
});
