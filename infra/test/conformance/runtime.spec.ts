import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  inPty,
  rows,
  startKubectl,
  startRuntimeWorld,
  type KubectlWorld,
} from './kubectl-harness';
import { webManifest } from './manifests';

describe('sim cluster with its runtime, kubectl 1.30', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  /** A web pod once the rollout has settled (no Terminating pods left). */
  const webPod = async (): Promise<string> => {
    let names: string[] = [];
    await eventually(async () => {
      const table = rows((await k('get', 'pods', '-l', 'app=web')).stdout).slice(1);
      names = table.filter((r) => r[2] === 'Running').map((r) => r[0]!);
      return table.length > 0 && names.length === table.length;
    }, 'settled web pods');
    return names[0]!;
  };

  beforeAll(async () => {
    sut = await startRuntimeWorld({ minor: 30, nodes: 3 });
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should show kind-like nodes and system pods', async () => {
    const nodes = rows((await k('get', 'nodes')).stdout).map((r) => r.slice(0, 3));
    expect(nodes).toEqual([
      ['NAME', 'STATUS', 'ROLES'],
      ['conf-control-plane', 'Ready', 'control-plane'],
      ['conf-worker', 'Ready', '<none>'],
      ['conf-worker2', 'Ready', '<none>'],
    ]);
    const system = (await k('get', 'pods', '-n', 'kube-system')).stdout;
    expect(system).toMatch(/coredns-\S+\s+1\/1\s+Running/);
    expect(system).toMatch(/kube-proxy-\S+\s+1\/1\s+Running/);
  });

  it('should roll a deployment out and follow it with get -w', async () => {
    const watch = startKubectl(sut, ['get', 'deploy', '-w']);
    await k('apply', '-f', sut.file('web.yaml', webManifest('nginx:1.25', 2)));
    const status = await k('rollout', 'status', 'deploy/web', '--timeout=60s');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    await eventually(() => /^web\s+2\/2\s+2\s+2\s/m.test(watch.output()), 'the rolled-out row in get -w');
    await watch.stop();
    expect(watch.output()).toMatch(/^web\s+0\/2\s/m);
    const ep = rows((await k('get', 'endpoints', 'web')).stdout)[1]!;
    expect(ep[1]).toMatch(/^10\.244\.\d+\.\d+:80,10\.244\.\d+\.\d+:80$/);
  });

  it('should restart, record history and undo a rollout', async () => {
    expect((await k('set', 'image', 'deploy/web', 'web=nginx:1.26')).stdout).toBe(
      'deployment.apps/web image updated\n',
    );
    expect((await k('rollout', 'status', 'deploy/web', '--timeout=60s')).code).toBe(0);
    expect((await k('rollout', 'restart', 'deploy/web')).stdout).toBe('deployment.apps/web restarted\n');
    expect((await k('rollout', 'status', 'deploy/web', '--timeout=60s')).code).toBe(0);
    const history = (await k('rollout', 'history', 'deploy/web')).stdout;
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n3\s+<none>/);
    expect((await k('rollout', 'undo', 'deploy/web')).stdout).toBe('deployment.apps/web rolled back\n');
    expect((await k('rollout', 'status', 'deploy/web', '--timeout=60s')).code).toBe(0);
  });

  it('should give logs and exec from the app model', async () => {
    const pod = await webPod();
    const logs = await k('logs', pod, '--tail=1');
    expect(logs.stderr).toBe('');
    expect(logs.code).toBe(0);
    expect(logs.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const hostname = await k('exec', pod, '--', 'hostname');
    expect(hostname).toMatchObject({ code: 0, stdout: `${pod}\n` });
    const fail = await k('exec', pod, '--', 'sh', '-c', 'exit 3');
    expect(fail.code).toBe(3);
    expect(fail.stderr).toContain('command terminated with exit code 3');
  });

  it('should run an interactive exec through a PTY', async () => {
    const pod = await webPod();
    const r = await inPty(sut, ['exec', '-it', pod, '--', 'sh'], ['echo hi-there\r', 'exit 4\r']);
    expect(r.output).toContain('hi-there');
    expect(r.output).toContain('command terminated with exit code 4');
    expect(r.code).toBe(4);
  });

  it('should run -it --rm a busybox shell and delete it afterwards', async () => {
    const r = await inPty(
      sut,
      ['run', 'tmp', '-it', '--rm', '--restart=Never', '--image=busybox', '--', 'sh'],
      ['echo inside\r', 'exit\r'],
      600,
    );
    expect(r.output).toContain('inside');
    expect(r.output).toContain('pod "tmp" deleted');
    expect((await k('get', 'pod', 'tmp')).stderr).toContain('pods "tmp" not found');
  });

  it('should add an ephemeral debug container', async () => {
    const pod = 'debug-target';
    await k('run', pod, '--image=nginx:1.25');
    await eventually(
      async () => (await k('get', 'pod', pod)).stdout.includes('Running'),
      'the target running',
    );
    const r = await k('debug', pod, '--image=busybox', '--container=dbg', '--', 'sleep', '60');
    expect(r.code).toBe(0);
    const live = JSON.parse((await k('get', 'pod', pod, '-o', 'json')).stdout);
    expect(live.spec.ephemeralContainers).toEqual([
      expect.objectContaining({ name: 'dbg', image: 'busybox', command: ['sleep', '60'] }),
    ]);
    await k('delete', 'pod', pod, '--grace-period=0', '--force');
  });

  it('should create a node debugging pod on the host namespaces when asked to debug a node', async () => {
    const r = await k('debug', 'node/conf-worker', '--image=busybox', '--', 'sleep', '60');
    expect(r.code).toBe(0);
    const name =
      /Creating debugging pod (node-debugger-conf-worker-\w+) with container debugger on node conf-worker\./.exec(
        r.stdout + r.stderr,
      )?.[1];
    expect(name).toBeDefined();
    const spec = JSON.parse((await k('get', 'pod', name!, '-o', 'json')).stdout).spec;
    expect(spec).toMatchObject({
      nodeName: 'conf-worker',
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      tolerations: [{ operator: 'Exists' }],
      // The ServiceAccount admission adds the kube-api-access volume, as on a real cluster.
      volumes: expect.arrayContaining([{ name: 'host-root', hostPath: { path: '/' } }]),
    });
    expect(spec.containers[0]).toMatchObject({
      name: 'debugger',
      volumeMounts: expect.arrayContaining([
        expect.objectContaining({ name: 'host-root', mountPath: '/host' }),
      ]),
    });
    await k('delete', 'pod', name!, '--grace-period=0', '--force');
  });

  it('should delete a pod gracefully and cascade a deployment delete to its pods', async () => {
    await k('run', 'graceful', '--image=nginx');
    await eventually(
      async () => (await k('get', 'pod', 'graceful')).stdout.includes('Running'),
      'the pod running',
    );
    expect((await k('delete', 'pod', 'graceful', '--grace-period=1')).stdout).toBe(
      'pod "graceful" deleted\n',
    );
    expect((await k('get', 'pod', 'graceful')).stderr).toContain('pods "graceful" not found');
    expect((await k('delete', 'deploy', 'web')).stdout).toBe('deployment.apps "web" deleted\n');
    await eventually(
      async () => (await k('get', 'pods', '-l', 'app=web')).stderr.includes('No resources found'),
      'the pods gone',
    );
  });

  it('should wait for a condition, cascade in the foreground and orphan on request', async () => {
    await k('create', 'deployment', 'fg', '--image=nginx:1.25', '--replicas=2');
    const wait = await k('wait', '--for=condition=Available', 'deploy/fg', '--timeout=60s');
    expect(wait.stdout).toBe('deployment.apps/fg condition met\n');
    expect((await k('delete', 'deploy', 'fg', '--cascade=foreground')).stdout).toBe(
      'deployment.apps "fg" deleted\n',
    );
    expect((await k('get', 'rs', '-l', 'app=fg')).stderr).toContain('No resources found');

    await k('create', 'deployment', 'orph', '--image=nginx:1.25');
    expect((await k('rollout', 'status', 'deploy/orph', '--timeout=60s')).code).toBe(0);
    expect((await k('delete', 'deploy', 'orph', '--cascade=orphan')).stdout).toBe(
      'deployment.apps "orph" deleted\n',
    );
    const rs = JSON.parse((await k('get', 'rs', '-l', 'app=orph', '-o', 'json')).stdout);
    expect(rs.items).toHaveLength(1);
    expect(rs.items[0].metadata.ownerReferences ?? []).toEqual([]);
  });
});
