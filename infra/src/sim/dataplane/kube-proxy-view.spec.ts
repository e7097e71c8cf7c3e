import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deletePodGracefully } from '../controllers/pod-deletion';
import { put } from '../runtime/context';
import { aPod, aRuntime, aService, podStatusWord, podsOf } from '../runtime/testing/runtime-harness';
import type { PropagationSetting } from '../runtime/propagation';
import { KubeProxyView } from './kube-proxy-view';

const client = { namespace: 'default', name: 'client' };

/** A client, two http-echo pods (blue, green) and a Service selecting blue; every pod running. */
async function blueGreen(propagation?: PropagationSetting) {
  const h = await aRuntime(propagation ? { propagation } : {});
  h.store.create(
    'pods',
    aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  for (const color of ['blue', 'green']) {
    h.store.create(
      'pods',
      aPod(
        color,
        {
          containers: [
            {
              name: 'app',
              image: 'hashicorp/http-echo:1.0',
              args: [`-text=${color}`],
              ports: [{ containerPort: 5678 }],
            },
          ],
        },
        { color },
      ),
    );
  }
  h.store.create('services', aService('web', { color: 'blue' }, 80, 5678, '10.96.50.50'));
  await h.sut.advance(3000);
  const body = async () => {
    const answer = await h.sut.dataplane.http(client, { method: 'GET', url: 'http://web/', headers: {} });
    return answer.kind === 'response' ? answer.body : `failed: ${answer.connection.reason}`;
  };
  const patch = (spec: Record<string, unknown>) => {
    const svc = h.store.get('services', 'default', 'web')!;
    put(h.store, 'services', { ...svc, spec: { ...(svc.spec as object), ...spec } });
  };
  return { ...h, body, patch };
}

describe(KubeProxyView.name, () => {
  it('should keep sending traffic to the old selector until kube-proxy syncs 250 ms later', async () => {
    const { sut, body, patch } = await blueGreen();
    expect(await body()).toBe('blue\n');
    patch({ selector: { color: 'green' } });
    await sut.settle();
    expect(sut.dataplane.kubeProxy.syncPending).toBe(true);
    await sut.advance(200);
    expect(await body()).toBe('blue\n');
    await sut.advance(50);
    expect(sut.dataplane.kubeProxy.syncPending).toBe(false);
    expect(await body()).toBe('green\n');
  });

  it('should keep the old targetPort until the sync', async () => {
    const { sut, body, patch } = await blueGreen();
    patch({ ports: [{ name: 'http', port: 80, targetPort: 9999, protocol: 'TCP' }] });
    await sut.advance(100);
    expect(await body()).toBe('blue\n');
    await sut.advance(150);
    expect(await body()).toMatch(/^failed: /);
  });

  it('should apply Service changes at once when propagation is fast', async () => {
    const { sut, body, patch } = await blueGreen('fast');
    patch({ selector: { color: 'green' } });
    await sut.settle();
    expect(sut.dataplane.kubeProxy.syncPending).toBe(false);
    expect(await body()).toBe('green\n');
  });

  it('should take the configured sync delay when one is given', async () => {
    const { sut, body, patch } = await blueGreen({ kubeProxySyncMs: 2000 });
    patch({ selector: { color: 'green' } });
    await sut.advance(1900);
    expect(await body()).toBe('blue\n');
    await sut.advance(100);
    expect(await body()).toBe('green\n');
  });

  it('should make a pod with a readiness probe an endpoint only after its first probe passes', async () => {
    const { sut, store, body, patch } = await blueGreen();
    store.create(
      'pods',
      aPod(
        'late',
        {
          containers: [
            {
              name: 'app',
              image: 'hashicorp/http-echo:1.0',
              args: ['-text=late'],
              ports: [{ containerPort: 5678 }],
              readinessProbe: { tcpSocket: { port: 5678 }, initialDelaySeconds: 5, periodSeconds: 10 },
            },
          ],
        },
        { color: 'late' },
      ),
    );
    patch({ selector: { color: 'late' } });
    await sut.advance(3000);
    const [late] = podsOf(store, 'late');
    expect(late!.status?.phase).toBe('Running');
    expect(late!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(await body()).toMatch(/^failed: /);
    await sut.advance(2500);
    expect(podsOf(store, 'late')[0]!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe(
      'True',
    );
    expect(await body()).toBe('late\n');
  });

  it('should keep a deleted pod that ignores SIGTERM Terminating for its grace period, and one that handles it briefly', async () => {
    const { sut, store, clock } = await blueGreen();
    const sleeper = aPod('sleeper', {
      terminationGracePeriodSeconds: 20,
      containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }],
    });
    store.create('pods', sleeper);
    await sut.advance(3000);
    const ctx = sut.ctx;
    deletePodGracefully(ctx, store.get('pods', 'default', 'sleeper')!);
    deletePodGracefully(ctx, store.get('pods', 'default', 'green')!);
    await sut.advance(1000);
    expect(store.get('pods', 'default', 'green')).toBeUndefined();
    expect(podStatusWord(store.get('pods', 'default', 'sleeper') as unknown as V1Pod)).toBe('Terminating');
    const deletedAt = clock.now() - 1000;
    await sut.advance(18_000);
    expect(store.get('pods', 'default', 'sleeper')).toBeDefined();
    await sut.advance(1500);
    expect(store.get('pods', 'default', 'sleeper')).toBeUndefined();
    expect(clock.now() - deletedAt).toBeGreaterThanOrEqual(20_000);
  });
});
