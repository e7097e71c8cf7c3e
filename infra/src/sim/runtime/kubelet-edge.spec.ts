import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../store/object-store';
import { as } from './context';
import { Kubelet } from './kubelet';
import { aPod, aRuntime, eventReasons, podStatusWord } from './testing/runtime-harness';

const pod = (store: ObjectStore, name: string) => as<V1Pod>(store.get('pods', 'default', name)!);
const event = (store: ObjectStore, reason: string) =>
  store.list('events', 'default').find((e) => e.reason === reason);

describe(`${Kubelet.name} edge cases`, () => {
  it('should run init containers in order before the app and show PodInitializing meanwhile', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('p', {
        initContainers: [
          { name: 'wait', image: 'busybox', command: ['sh', '-c', 'sleep 3'] },
          { name: 'prep', image: 'busybox', command: ['sh', '-c', 'echo ready'] },
        ],
        containers: [{ name: 'web', image: 'nginx:1.27' }],
      }),
    );
    await sut.advance(2000);
    const during = pod(store, 'p');
    expect(during.status?.phase).toBe('Pending');
    expect(during.status?.initContainerStatuses?.[0]?.state?.running).toBeDefined();
    expect(during.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(during.status?.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      message: 'containers with incomplete status: [wait prep]',
    });
    await sut.advance(5000);
    const after = pod(store, 'p');
    expect(podStatusWord(after)).toBe('Running');
    expect(after.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual([
      'Completed',
      'Completed',
    ]);
  });

  it('should evaluate an exec liveness probe in the container shell', async () => {
    const { sut, store } = await aRuntime();
    const livenessProbe = {
      exec: { command: ['cat', '/tmp/healthy'] },
      periodSeconds: 5,
      failureThreshold: 1,
    };
    store.create(
      'pods',
      aPod('ok', {
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sh', '-c', 'echo up > /tmp/healthy; sleep 3600'],
            livenessProbe,
          },
        ],
      }),
    );
    store.create(
      'pods',
      aPod('bad', {
        containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], livenessProbe }],
      }),
    );
    await sut.advance(12_000);
    expect(pod(store, 'ok').status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(pod(store, 'bad').status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
    expect(String(event(store, 'Unhealthy')?.message)).toMatch(
      /^Liveness probe failed: cat: (can't open '\/tmp\/healthy'|\/tmp\/healthy): No such file or directory\n?$/,
    );
  });

  it('should run an image the cluster was told about but warn that it listens on nothing', async () => {
    const { sut, store } = await aRuntime({ images: ['example.com/team/api:2.1'] });
    store.create('pods', aPod('p', { containers: [{ name: 'c', image: 'example.com/team/api:2.1' }] }));
    await sut.advance(2000);
    expect(podStatusWord(pod(store, 'p'))).toBe('Running');
    expect(event(store, 'UnknownImage')).toMatchObject({
      type: 'Warning',
      message:
        'netlab sim has no behaviour model for image "example.com/team/api:2.1": the container runs but listens on no port',
    });
    expect(sut.dataplane.listeners().filter((l) => l.pod === 'p')).toEqual([]);
  });

  it('should wait in CreateContainerConfigError for a missing ConfigMap and start once it exists', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('p', {
        containers: [{ name: 'c', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'settings' } }] }],
      }),
    );
    await sut.advance(2000);
    expect(podStatusWord(pod(store, 'p'))).toBe('CreateContainerConfigError');
    expect(event(store, 'Failed')?.message).toBe('Error: configmap "settings" not found');
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { MODE: 'x' },
    });
    await sut.advance(2000);
    expect(podStatusWord(pod(store, 'p'))).toBe('Running');
  });

  it('should repeat FailedCreatePodSandBox while the node has no CNI', async () => {
    const { sut, store } = await aRuntime({ cni: false });
    store.create(
      'pods',
      aPod('p', { nodeName: 'lab-worker', containers: [{ name: 'c', image: 'nginx:1.27' }] }),
    );
    await sut.advance(40_000);
    expect(eventReasons(store, 'p')).toEqual(['FailedCreatePodSandBox']);
    expect(Number(event(store, 'FailedCreatePodSandBox')?.count)).toBeGreaterThanOrEqual(3);
  });

  it('should keep logging what a `while true; do echo; sleep; done` loop prints', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('p', {
        containers: [
          { name: 'c', image: 'busybox', command: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] },
        ],
      }),
    );
    await sut.advance(2000);
    await sut.advance(11_000);
    const lines: string[] = [];
    for await (const l of sut.logs({ namespace: 'default', pod: 'p', container: 'c' }, {})) lines.push(l);
    expect(lines).toEqual(['tick\n', 'tick\n', 'tick\n']);
    expect(podStatusWord(pod(store, 'p'))).toBe('Running');
  });
});
