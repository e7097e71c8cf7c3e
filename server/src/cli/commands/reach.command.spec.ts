import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReach } from './reach.command';

const NETLAB = new URL('../../../bin/netlab.js', import.meta.url).pathname;

/** Runs the real `netlab` bin, optionally feeding stdin. */
function netlab(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NETLAB, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const dir = mkdtempSync(join(tmpdir(), 'netlab-reach-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const pod = (name: string, app: string, ip: string, ports = '') => `
- apiVersion: v1
  kind: Pod
  metadata: {name: ${name}, namespace: shop, labels: {app: ${app}}}
  spec:
    nodeName: node-1
    containers: [{name: app, image: nginx${ports ? `, ports: [${ports}]` : ''}}]
  status: {phase: Running, podIP: ${ip}, conditions: [{type: Ready, status: "True"}]}`;

const policy = (spec: string) => `
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: bad, namespace: shop}
  spec: ${spec}`;

const DUMP = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: shop}
${pod('web-1', 'web', '10.244.1.5', '{name: http, containerPort: 8080}')}
${pod('client', 'client', '10.244.1.6')}
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec: {clusterIP: 10.96.0.50, selector: {app: web-frontend}, ports: [{port: 80, targetPort: http}]}
- apiVersion: v1
  kind: Service
  metadata: {name: ok, namespace: shop}
  spec: {clusterIP: 10.96.0.51, selector: {app: web}, ports: [{port: 80, targetPort: http}]}
`;
const state = file('shop.yaml', DUMP);

describe('netlab reach', { timeout: 30_000 }, () => {
  it('should print the path and the broken link, and exit 1 when the reach fails', async () => {
    const { code, stdout } = await netlab([
      'reach',
      '--state',
      state,
      '--from',
      'shop/client',
      '--to',
      'web',
      '--port',
      '80',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✗ refused: shop\/client → web:80\/TCP$/m);
    expect(stdout).toMatch(/^ {2}✓ dns +web resolves to 10\.96\.0\.50 \(web\.shop\.svc\.cluster\.local\)$/m);
    expect(stdout).toContain(
      'Connection refused: Service shop/web selects app=web-frontend, but no Pod in shop has that label; its Pods have app=web, app=client.',
    );
  });

  it('should print JSON with allowed, path and reason, and exit 0 when it connects', async () => {
    const { code, stdout } = await netlab([
      'reach',
      '--state',
      state,
      '--from',
      'shop/client',
      '--to',
      'ok.shop',
      '--port',
      '80',
      '--json',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      allowed: boolean;
      verdict: string;
      path: Array<{ step: string }>;
      reason: string;
    };
    expect(json).toMatchObject({
      allowed: true,
      verdict: 'connected',
      backend: { pod: 'web-1', port: 8080 },
    });
    expect(json.path.map((l) => l.step)).toEqual([
      'dns',
      'service',
      'endpoints',
      'target-port',
      'route',
      'egress-policy',
      'ingress-policy',
      'listener',
    ]);
    expect(json.reason).toBe('Pod shop/client connects to Pod shop/web-1 at 10.244.1.5:8080/TCP');
  });

  it('should read the state from stdin and honour a loopback listener hint', async () => {
    const { code, stdout } = await netlab(
      [
        'reach',
        '--state',
        '-',
        '--from',
        'shop/client',
        '--to',
        'shop/web-1',
        '--port',
        'http',
        '--listen',
        'shop/web-1 127.0.0.1:8080/TCP',
      ],
      DUMP,
    );
    expect(code).toBe(1);
    expect(stdout).toContain('Pod shop/web-1 listens on 127.0.0.1:8080 only (loopback)');
  });

  it('should treat every destination as listening with --policy-only', async () => {
    const { code } = await netlab([
      'reach',
      '--state',
      state,
      '--from',
      'shop/web-1',
      '--to',
      'shop/client',
      '--port',
      '9999',
      '--policy-only',
    ]);
    expect(code).toBe(0);
  });

  it('should answer --batch as JSON Lines in order, with an error line for a bad query', async () => {
    const batch = file(
      'queries.jsonl',
      [
        '{"from":"shop/client","to":"ok","port":80}',
        '{"from":"shop/client","to":"web","port":80,"protocol":"TCP"}',
        '{"from":"shop/client","to":"shop/web-1","port":99999}',
        '{"from":{"pod":{"namespace":"shop","name":"client"}},"to":{"ip":"10.244.1.5"},"port":8080}',
      ].join('\n'),
    );
    const { code, stdout } = await netlab(['reach', '--state', state, '--batch', batch]);
    expect(code).toBe(2);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { allowed?: boolean; verdict?: string; error?: string });
    expect(lines.map((l) => l.verdict ?? 'error')).toEqual(['connected', 'refused', 'error', 'connected']);
    expect(lines[2]!.error).toBe(
      '--batch line 3: port 99999 is out of range: a port is a whole number from 1 to 65535',
    );
  });

  it('should print a truth table the way the NetworkPolicy e2e suite does', async () => {
    const { code, stdout } = await netlab([
      'reach',
      '--state',
      state,
      '--matrix',
      '--namespaces',
      'shop',
      '--port',
      '8080',
    ]);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      '-\tshop/client\tshop/web-1',
      'shop/client\tX\t.',
      'shop/web-1\tX\t.',
    ]);
  });

  it.each([
    [
      'text that is not YAML',
      file('bad.yaml', 'kind: [oops\n'),
      ['--from', 'shop/client', '--to', 'web', '--port', '80'],
      /netlab reach: cluster state: not valid YAML \(document 1\)/,
    ],
    [
      'an unknown pod',
      state,
      ['--from', 'shop/ghost', '--to', 'web', '--port', '80'],
      /netlab reach: source Pod shop\/ghost is not in the cluster state \(Pods in shop: web-1, client\)/,
    ],
    [
      'a port out of range',
      state,
      ['--from', 'shop/client', '--to', 'web', '--port', '70000'],
      /netlab reach: --port 70000 is out of range: a port is a whole number from 1 to 65535/,
    ],
    [
      'an invalid CIDR',
      file(
        'cidr.yaml',
        DUMP + policy('{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/40}}]}]}'),
      ),
      ['--from', 'shop/client', '--to', 'web', '--port', '80'],
      /netlab reach: NetworkPolicy shop\/bad: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: "10\.0\.0\.0\/40" is not a valid CIDR/,
    ],
    [
      'a selector with an unknown operator',
      file(
        'op.yaml',
        DUMP + policy('{podSelector: {matchExpressions: [{key: app, operator: Equals, values: [web]}]}}'),
      ),
      ['--from', 'shop/client', '--to', 'web', '--port', '80'],
      /netlab reach: NetworkPolicy shop\/bad: spec\.podSelector\.matchExpressions\[0\]: unknown label selector operator "Equals"/,
    ],
  ])('should reject %s with a clear message and exit 2', async (_what, stateFile, args, message) => {
    const { code, stdout, stderr } = await netlab(['reach', '--state', stateFile, ...args]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('should print help for the subcommand', async () => {
    const { code, stdout } = await netlab(['reach', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: netlab reach [options]');
    expect(stdout).toContain('Exit codes: 0 allowed');
  });
});

describe(runReach.name, () => {
  const base = { listen: [], dns: true, serviceProxy: true, policyEnforcement: true };
  function sut(options: Record<string, unknown>): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runReach(
      { ...base, ...options } as Parameters<typeof runReach>[0],
      (t) => out.push(t),
      (t) => err.push(t),
    );
    return { code, out, err };
  }

  it.each([
    [
      'a missing --state',
      { state: undefined },
      '--state is required: a file with the cluster dump, or - for stdin',
    ],
    [
      'a state file that does not exist',
      { state: join(dir, 'nope.yaml') },
      `--state ${join(dir, 'nope.yaml')}: cannot read it (no such file)`,
    ],
    [
      'a bad protocol',
      { from: 'shop/client', to: 'web', port: '80', protocol: 'ICMP' },
      '--protocol "ICMP": expected TCP, UDP or SCTP',
    ],
    [
      'a malformed listener hint',
      { from: 'shop/client', to: 'web', port: '80', listen: ['web-1 8080'] },
      '--listen #1:1: "web-1 8080" is not a listener hint; expected ns/pod[:container] ADDRESS:PORT[/PROTOCOL], e.g. shop/web-1 127.0.0.1:8080/TCP',
    ],
    [
      'a hint for a pod that is not in the state',
      { from: 'shop/client', to: 'web', port: '80', listen: ['shop/ghost 0.0.0.0:80'] },
      '--listen #1:1: Pod shop/ghost is not in the cluster state',
    ],
    ['a missing --to', { from: 'shop/client', port: '80' }, '--to required (or use --batch or --matrix)'],
    [
      'a --from that is neither a pod nor an IP',
      { from: 'client', to: 'web', port: '80' },
      '--from "client": expected ns/pod (e.g. shop/client-7d9f) or an IPv4 address',
    ],
    [
      'a port name with capitals',
      { from: 'shop/client', to: 'web', port: 'HTTP' },
      '--port "HTTP": expected a port number (1-65535) or a port name such as http',
    ],
    ['--matrix without --port', { matrix: true }, '--matrix needs --port'],
    [
      '--matrix over a namespace without pods',
      { matrix: true, port: '80', namespaces: 'nowhere' },
      '--namespaces: no Pods in nowhere',
    ],
  ])('should exit 2 with one line for %s', (_what, options, message) => {
    const { code, out, err } = sut({ state, ...options });
    expect({ code, out, err }).toEqual({ code: 2, out: [], err: [`netlab reach: ${message}`] });
  });

  it('should resolve a DNS name from the source pod and exit 0 when it connects', () => {
    const { code, out } = sut({ state, from: 'shop/client', to: 'ok', port: '80' });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^✓ connected: shop\/client → ok:80\/TCP\n/);
  });

  it('should print the truth table as JSON with --matrix --json', () => {
    const { code, out } = sut({ state, matrix: true, port: 'http', json: true });
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual({
      sources: [
        { namespace: 'shop', name: 'client' },
        { namespace: 'shop', name: 'web-1' },
      ],
      destinations: [
        { namespace: 'shop', name: 'client' },
        { namespace: 'shop', name: 'web-1' },
      ],
      port: 'http',
      protocol: 'TCP',
      verdicts: [
        ['refused', 'connected'],
        ['refused', 'connected'],
      ],
    });
  });

  it('should make every name fail with --no-dns', () => {
    const { code, out } = sut({ state, from: 'shop/client', to: 'ok', port: '80', dns: false });
    expect(code).toBe(1);
    expect(out[0]).toContain('ok fails (SERVFAIL/timeout): cluster DNS (CoreDNS) is not answering');
  });

  it('should make ClusterIPs unreachable with --no-service-proxy', () => {
    const { code, out } = sut({
      state,
      from: 'shop/client',
      to: 'svc/shop/ok',
      port: '80',
      serviceProxy: false,
    });
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^✗ unreachable: /);
  });
});
