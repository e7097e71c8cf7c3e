import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/sim-cluster';
import { ToolboxShell, UNSANDBOXED_FLAG, resetSandboxProbe } from '../../src/sim/toolbox/toolbox-shell';
import { aProcessIO } from '../../src/sim/runtime/testing/process-io';
import { CGROUP_LIMITS, CGROUP_PREFIX, detectCgroups } from '../../src/sim/toolbox/toolbox-cgroup';
import { aCluster, openExec, until, type Target } from './hostile-harness';

/** Runs argv in the cluster's toolbox pod over the exec WebSocket; resolves to output and status. */
async function inToolbox(cluster: Target, argv: string[]): Promise<{ out: string; status: string }> {
  const q = argv.map((a) => `command=${encodeURIComponent(a)}`).join('&');
  const ws = await openExec(
    cluster,
    `/api/v1/namespaces/default/pods/toolbox/exec?${q}&stdout=true&stderr=true`,
  );
  let out = '';
  return new Promise((resolve) => {
    ws.on('message', (d: Buffer) => {
      if (d[0] === 1 || d[0] === 2) out += d.subarray(1).toString();
      if (d[0] === 3) resolve({ out, status: d.subarray(1).toString() });
    });
  });
}

async function withToolbox(name: string): Promise<SimCluster> {
  const c = await aCluster(name, { runtime: undefined, nodes: 1, propagation: 'fast' });
  c.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'toolbox', namespace: 'default' },
    spec: { containers: [{ name: 'toolbox', image: 'netlab/toolbox:latest' }] },
  });
  await until(() => c.store.get('pods', 'default', 'toolbox')?.status?.phase === 'Running');
  return c;
}

const sandboxed = ToolboxShell.isolation().sandbox === 'bubblewrap';
const asRoot = process.getuid?.() === 0;

describe('the toolbox sandbox', { timeout: 90_000 }, () => {
  let a: SimCluster;
  let b: SimCluster;
  let hostService: Server;
  let hostPort = 0;

  beforeAll(async () => {
    if (process.env.CI) expect(sandboxed).toBe(true);
    [a, b] = await Promise.all([withToolbox('tb-a'), withToolbox('tb-b')]);
    hostService = createServer((s) => s.end('host secret\n'));
    await new Promise<void>((r) => hostService.listen(0, '127.0.0.1', () => r()));
    hostPort = (hostService.address() as { port: number }).port;
  });
  afterAll(async () => {
    hostService?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it.runIf(sandboxed)('should reach its own cluster API and nothing else on the network', async () => {
    const otherPort = new URL(b.url).port;
    const r = await inToolbox(a, [
      'bash',
      '-c',
      `kubectl get ns default -o name; (echo > /dev/tcp/127.0.0.1/${otherPort}) 2>/dev/null && echo other-cluster-reachable; (echo > /dev/tcp/127.0.0.1/${hostPort}) 2>/dev/null && echo host-service-reachable; echo done`,
    ]);
    expect(r.out).toBe('namespace/default\ndone\n');
  });

  it.runIf(sandboxed && asRoot)('should run each cluster under a uid of its own, never root', async () => {
    const [ua, ub] = await Promise.all([inToolbox(a, ['id', '-u']), inToolbox(b, ['id', '-u'])]);
    expect(Number(ua.out)).toBeGreaterThan(0);
    expect(Number(ub.out)).toBeGreaterThan(0);
    expect(ua.out).not.toBe(ub.out);
  });

  it.runIf(sandboxed)('should bound /tmp, nested user namespaces, processes and file sizes', async () => {
    const r = await inToolbox(a, [
      'bash',
      '-c',
      '(head -c 40000000 /dev/zero > /tmp/a && head -c 40000000 /dev/zero > /tmp/b) 2>/dev/null || echo tmp-full; unshare -U true 2>/dev/null || echo no-userns; ulimit -n; ulimit -f',
    ]);
    const lines = r.out.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['tmp-full', 'no-userns']);
    expect(Number(lines[2])).toBeLessThanOrEqual(1024);
    expect(lines[3]).not.toBe('unlimited');
    if (asRoot) expect((await inToolbox(a, ['bash', '-c', 'ulimit -u'])).out.trim()).toBe('128');
  });

  it.runIf(sandboxed && asRoot)('should stop a fork bomb at the per-uid process limit', async () => {
    const r = await inToolbox(a, [
      'bash',
      '-c',
      'for i in $(seq 300); do sleep 5 & done 2>&1 | grep -c "fork: Resource temporarily unavailable\\|retry"; echo survived',
    ]);
    expect(r.out).toContain('survived');
    expect((await inToolbox(b, ['echo', 'neighbour fine'])).out).toBe('neighbour fine\n');
  });

  it.runIf(sandboxed && asRoot && ToolboxShell.isolation().cgroup !== 'none')(
    "should run each cluster's shells in a cgroup of its own, bounded in memory",
    async () => {
      const support = detectCgroups();
      const memoryParent =
        support.version === 2 ? support.parent : (support as { parents: { memory: string } }).parents.memory;
      const busy = () =>
        readdirSync(memoryParent)
          .filter((n) => n.startsWith(`${CGROUP_PREFIX}${process.pid}-`))
          .map((n) => join(memoryParent, n))
          .filter((d) => readFileSync(join(d, 'cgroup.procs'), 'utf8').trim() !== '');
      const running = Promise.all([inToolbox(a, ['sleep', '3']), inToolbox(b, ['sleep', '3'])]);
      const groups = await until(() => (busy().length >= 2 ? busy() : undefined));
      expect(new Set(groups).size).toBe(2);
      for (const d of groups) {
        const limit = support.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
        expect(Number(readFileSync(join(d, limit), 'utf8'))).toBe(CGROUP_LIMITS.memoryBytes);
      }
      await running;
    },
  );

  it.runIf(sandboxed)('should remove the toolbox home and kubeconfig once the shell ends', async () => {
    await inToolbox(a, ['true']);
    const mine = readdirSync(tmpdir()).filter((n) => n.startsWith(`netlab-toolbox-${process.pid}-`));
    expect(mine.filter((n) => existsSync(`${tmpdir()}/${n}/home/.kube/config`))).toEqual([]);
  });

  it('should refuse to start a shell when the sandbox is unavailable, unless the development flag is set', async () => {
    const saved = { bwrap: process.env.NETLAB_BWRAP, flag: process.env[UNSANDBOXED_FLAG] };
    process.env.NETLAB_BWRAP = '/nonexistent/bwrap';
    delete process.env[UNSANDBOXED_FLAG];
    resetSandboxProbe();
    try {
      const sut = new ToolboxShell({
        kubeconfig: 'clusters: [{cluster: {server: https://127.0.0.1:6443}}]',
      } as never);
      const refused = aProcessIO();
      expect(await sut.exec(['echo', 'hi'], refused)).toBe(126);
      expect(refused.out()).toBe('');
      expect(refused.err()).toContain('the toolbox shell is refused: its sandbox is unavailable');
      process.env[UNSANDBOXED_FLAG] = '1';
      const allowed = aProcessIO();
      expect(await sut.exec(['echo', 'hi'], allowed)).toBe(0);
      expect(allowed.out()).toBe('hi\n');
      expect(allowed.err()).toContain('this shell is NOT sandboxed');
      await sut.dispose();
    } finally {
      if (saved.bwrap === undefined) delete process.env.NETLAB_BWRAP;
      else process.env.NETLAB_BWRAP = saved.bwrap;
      if (saved.flag === undefined) delete process.env[UNSANDBOXED_FLAG];
      else process.env[UNSANDBOXED_FLAG] = saved.flag;
      resetSandboxProbe();
    }
  });
});
