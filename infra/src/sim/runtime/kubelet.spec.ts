import { goDuration } from './container-starter';
import type { V1Endpoints, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../store/object-store';
import { as } from './context';
import { Kubelet } from './kubelet';
import { aPod, aRuntime, aService, eventReasons, podStatusWord } from './testing/runtime-harness';

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

const pod = (store: ObjectStore, name: string) => as<V1Pod>(store.get('pods', 'default', name)!);

describe(Kubelet.name, () => {
  it('should go ContainerCreating → Running with pull, create and start events and an IP from the node CIDR', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('web', { containers: [{ name: 'web', image: 'nginx' }] }));
    await sut.settle();
    expect(podStatusWord(pod(store, 'web'))).toBe('ContainerCreating');
    await sut.advance(1000);
    const p = pod(store, 'web');
    expect(podStatusWord(p)).toBe('Running');
    expect(p.status?.podIP).toMatch(
      new RegExp(`^10\\.244\\.${p.spec?.nodeName === 'lab-worker' ? 1 : 2}\\.\\d+$`),
    );
    expect(p.status?.containerStatuses?.[0]).toMatchObject({
      ready: true,
      restartCount: 0,
      image: 'docker.io/library/nginx:latest',
    });
    expect(eventReasons(store, 'web')).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    const pulled = store.list('events', 'default').find((e) => e.reason === 'Pulled')!;
    expect(String(pulled.message)).toMatch(
      /^Successfully pulled image "nginx" in (\d+ms|[\d.]+s) \((\d+ms|[\d.]+s) including waiting\)\. Image size: \d+ bytes\.$/,
    );
  });

  it('should restart a container whose command exits and back off into CrashLoopBackOff', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('bb', { containers: [{ name: 'bb', image: 'busybox:1.36' }] }));
    await sut.advance(1000);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await sut.advance(1000);
      seen.add(podStatusWord(pod(store, 'bb')));
    }
    expect(seen).toContain('CrashLoopBackOff');
    const c = pod(store, 'bb').status!.containerStatuses![0]!;
    expect(c.restartCount).toBeGreaterThanOrEqual(2);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const backoff = store.list('events', 'default').find((e) => e.reason === 'BackOff')!;
    expect(backoff.type).toBe('Warning');
    expect(String(backoff.message)).toMatch(
      /^Back-off restarting failed container bb in pod bb_default\(.+\)$/,
    );
    expect(pod(store, 'bb').status?.phase).toBe('Running');
  });

  it('should mark a pod Succeeded with the exit code when a restartPolicy Never container finishes', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('job', {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; sleep 2; exit 3'] }],
      }),
    );
    await sut.advance(5000);
    const p = pod(store, 'job');
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    expect(await collect(sut.logs({ namespace: 'default', pod: 'job', container: 'c' }, {}))).toEqual([
      'hello\n',
    ]);
  });

  it('should take the pod out of the Service endpoints when its readiness probe hits a port nothing listens on', async () => {
    const { sut, store } = await aRuntime();
    const probe = (port: number) => ({ httpGet: { path: '/', port }, periodSeconds: 5, failureThreshold: 1 });
    store.create(
      'pods',
      aPod(
        'good',
        { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: probe(80) }] },
        { app: 'web' },
      ),
    );
    store.create(
      'pods',
      aPod(
        'bad',
        { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: probe(8080) }] },
        { app: 'web' },
      ),
    );
    store.create('services', aService('web', { app: 'web' }, 80, 80, '10.96.100.1'));
    await sut.advance(20_000);
    expect(pod(store, 'good').status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const bad = pod(store, 'bad');
    expect(bad.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [web]',
    });
    const ep = as<V1Endpoints>(store.get('endpoints', 'default', 'web')!);
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.targetRef?.name)).toEqual(['good']);
    expect(ep.subsets?.[0]?.notReadyAddresses?.map((a) => a.targetRef?.name)).toEqual(['bad']);
    const unhealthy = store.list('events', 'default').find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy.message).toBe(
      `Readiness probe failed: Get "http://${bad.status?.podIP}:8080/": dial tcp ${bad.status?.podIP}:8080: connect: connection refused`,
    );
  });

  it('should restart the container after failureThreshold liveness failures', async () => {
    const { sut, store } = await aRuntime();
    const liveness = { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 10, failureThreshold: 3 };
    store.create(
      'pods',
      aPod('live', { containers: [{ name: 'web', image: 'nginx:1.27', livenessProbe: liveness }] }),
    );
    await sut.advance(35_000);
    const p = pod(store, 'live');
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    const reasons = eventReasons(store, 'live');
    expect(reasons).toContain('Killing');
    const unhealthy = store.list('events', 'default').find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy.message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(unhealthy.count).toBeGreaterThanOrEqual(3);
    const killing = store.list('events', 'default').find((e) => e.reason === 'Killing')!;
    expect(killing.message).toBe('Container web failed liveness probe, will be restarted');
  });

  it.each([
    ['nginx (exits on SIGTERM)', { image: 'nginx:1.27' }, 1000, false],
    ['busybox sleep (PID 1 ignores SIGTERM)', { image: 'busybox', command: ['sleep', '3600'] }, 1000, true],
  ])(
    'should remove a deleted pod after its containers stop: %s',
    async (_n, container, after, stillThere) => {
      const { sut, store } = await aRuntime();
      store.create(
        'pods',
        aPod('p', { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', ...container }] }),
      );
      await sut.advance(2000);
      const s = store.get('pods', 'default', 'p')!;
      store.update('pods', {
        ...s,
        metadata: {
          ...s.metadata,
          resourceVersion: undefined,
          deletionTimestamp: '2026-01-01T00:01:00Z',
          deletionGracePeriodSeconds: 30,
        },
      });
      await sut.advance(after);
      expect(Boolean(store.get('pods', 'default', 'p'))).toBe(stillThere);
      await sut.advance(30_000);
      expect(store.get('pods', 'default', 'p')).toBeUndefined();
    },
  );

  it('should serve logs with tail, previous and follow', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('bb', {
        containers: [
          { name: 'c', image: 'busybox', command: ['sh', '-c', 'echo one; echo two; echo three; sleep 5'] },
        ],
      }),
    );
    await sut.advance(2000);
    const target = { namespace: 'default', pod: 'bb', container: 'c' };
    expect(await collect(sut.logs(target, {}))).toEqual(['one\n', 'two\n', 'three\n']);
    expect(await collect(sut.logs(target, { tailLines: 1 }))).toEqual(['three\n']);
    await expect(collect(sut.logs(target, { previous: true }))).rejects.toThrow(
      'previous terminated container "c" in pod "bb" not found',
    );
    const follow = collect(sut.logs(target, { follow: true }));
    await sut.advance(6000); // exits, restarts: the followed instance ends
    expect(await follow).toEqual(['one\n', 'two\n', 'three\n']);
    expect(await collect(sut.logs(target, { previous: true }))).toEqual(['one\n', 'two\n', 'three\n']);
  });
});

describe(goDuration.name, () => {
  it.each([
    [400, '400ms'],
    [999.9, '999ms'],
    [1000, '1s'],
    [1234, '1.234s'],
    [12_500, '12.5s'],
  ])('should print %d ms as %s, the way the kubelet prints a Go duration', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
