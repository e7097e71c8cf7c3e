import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../../src/sim/runtime/container-runtime';
import { FakeRuntime, markRunning } from './fake-runtime';
import { eventually, rawRequest, startKubectl, startWorld, type KubectlWorld } from './kubectl-harness';

describe('sim watch with kubectl 1.30', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args);

  beforeAll(async () => {
    sut = await startWorld({ minor: 30 });
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should stream Table rows to get -w as objects change', async () => {
    await k('create', 'deployment', 'w', '--image=nginx:1.25');
    const watch = startKubectl(sut, ['get', 'deploy', '-w']);
    await eventually(() => watch.output().includes('w '), 'the initial row');
    await k('scale', 'deploy', 'w', '--replicas=3');
    await eventually(() => /^w\s+0\/3\s/m.test(watch.output()), 'the scaled row');
    await watch.stop();
    const lines = watch.output().trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(lines[1]).toMatch(/^w\s+0\/1\s+0\s+0\s+\d+s$/);
    expect(lines.at(-1)).toMatch(/^w\s+0\/3\s+0\s+0\s+\d+s$/);
  });

  it('should print watch events for one named object from resourceVersion 0', async () => {
    await k('create', 'cm', 'watched');
    const watch = startKubectl(sut, ['get', 'cm', 'watched', '-w', '--output-watch-events']);
    await eventually(() => watch.output().includes('ADDED'), 'the synthetic ADDED event');
    await k('label', 'cm', 'watched', 'seen=yes');
    await eventually(() => watch.output().includes('MODIFIED'), 'the MODIFIED event');
    await k('delete', 'cm', 'watched');
    await eventually(() => watch.output().includes('DELETED'), 'the DELETED event');
    await watch.stop();
    expect(watch.output()).toMatch(
      /^EVENT\s+NAME\s+DATA\s+AGE\nADDED\s+watched\s+0\s+\d+s\nMODIFIED\s+watched\s+0\s+\d+s\nDELETED\s+watched\s+0\s+\d+s\n$/,
    );
  });
});

describe('sim watch protocol details', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;

  beforeAll(async () => {
    sut = await startWorld({ minor: 33 });
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should end a watch from a compacted resourceVersion with a 410 Expired ERROR event', async () => {
    for (let i = 0; i < 2100; i++) {
      sut.cluster.store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c${i}`, namespace: 'default' },
      });
    }
    const res = await rawRequest(sut, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2');
    expect(res.status).toBe(200);
    const event = JSON.parse(res.body.trim());
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(event.object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('should send the initial state and an initial-events-end bookmark for sendInitialEvents', async () => {
    const res = await rawRequest(
      sut,
      '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dc7&timeoutSeconds=1',
    );
    const events = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[0].object.metadata.name).toBe('c7');
    expect(events[1].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('should page a list with limit and continue as kubectl --chunk-size does', async () => {
    const r = await sut.kubectl(['get', 'cm', '--chunk-size=500', '-o', 'name']);
    expect(r.stdout.trim().split('\n')).toHaveLength(2100);
    const first = JSON.parse((await rawRequest(sut, '/api/v1/namespaces/default/configmaps?limit=2')).body);
    expect(first.items).toHaveLength(2);
    expect(first.metadata.remainingItemCount).toBe(2098);
    const next = JSON.parse(
      (
        await rawRequest(
          sut,
          `/api/v1/namespaces/default/configmaps?limit=2&continue=${first.metadata.continue}`,
        )
      ).body,
    );
    expect(next.items[0].metadata.name > first.items[1].metadata.name).toBe(true);
  });
});

describe('sim API with @kubernetes/client-node', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  let kc: k8s.KubeConfig;
  const fake = new FakeRuntime(3);

  beforeAll(async () => {
    const runtime = (): ClusterRuntime =>
      Object.assign(fake, { start: () => undefined, stop: async () => undefined });
    sut = await startWorld({ minor: 33, runtime });
    kc = new k8s.KubeConfig();
    kc.loadFromString(sut.cluster.kubeconfig);
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should serve typed calls over TLS trusted through the kubeconfig CA', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'typed' }, data: { k: 'v' } },
    });
    const cm = await core.readNamespacedConfigMap({ namespace: 'default', name: 'typed' });
    expect(cm.data).toEqual({ k: 'v' });
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const list = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(list.items).toEqual([]);
    await expect(core.readNamespacedPod({ namespace: 'default', name: 'missing' })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('should feed an informer its adds, updates and deletes', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${JSON.stringify(o.data)}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'informed' } },
      });
      await eventually(() => seen.includes('add informed'), 'the add');
      await core.patchNamespacedConfigMap(
        { namespace: 'default', name: 'informed', body: { data: { x: '1' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await eventually(() => seen.includes('update informed {"x":"1"}'), 'the update');
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'informed' });
      await eventually(() => seen.includes('delete informed'), 'the delete');
    } finally {
      await informer.stop();
    }
    expect(seen).toContain('add typed');
  });

  it('should run Exec, Attach and Log', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'cn' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    markRunning(sut.cluster.store, 'default', 'cn');
    let out = '';
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc)
        .exec('default', 'cn', 'c', ['echo', 'from', 'client-node'], stdout, null, null, false, resolve)
        .catch(reject);
    });
    expect(status.status).toBe('Success');
    await eventually(() => out === 'from client-node\n', 'the exec output');

    let attached = '';
    const attachOut = new Writable({ write: (c: Buffer, _e, cb) => ((attached += c.toString()), cb()) });
    const ws = await new k8s.Attach(kc).attach('default', 'cn', 'c', attachOut, null, null, false);
    await eventually(() => attached.includes('attached to c'), 'the attach output');
    ws.close();

    const logs = new PassThrough();
    let text = '';
    logs.on('data', (d: Buffer) => (text += d.toString()));
    await new k8s.Log(kc).log('default', 'cn', 'c', logs, { tailLines: 2 });
    await eventually(() => text === 'c line 2\nc line 3\n', 'the log lines');
  });
});
