import { describe, expect, it } from 'vitest';
import { containerShellHost } from '../dataplane/container-shell-host';
import { containerEnv } from './container-env';
import { as } from './context';
import { aPod, aRuntime, aService } from './testing/runtime-harness';
import type { V1Pod } from '@kubernetes/client-node';

async function started() {
  const h = await aRuntime({ propagation: 'fast' });
  h.store.create('services', aService('before', { app: 'x' }, 80, 80, '10.96.10.10'));
  h.store.create(
    'pods',
    aPod('p', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  await h.sut.advance(2000);
  h.store.create('services', aService('after', { app: 'x' }, 80, 80, '10.96.20.20'));
  await h.sut.advance(1000);
  const envOfExec = () => {
    const stored = h.store.get('pods', 'default', 'p')!;
    const run = h.sut.kubelet.runOf(stored.metadata.uid)!;
    return containerShellHost(h.sut.ctx, h.sut.dataplane, as<V1Pod>(stored), run, run.containers.get('c')!)
      .env;
  };
  return { ...h, envOfExec };
}

describe(containerEnv.name, () => {
  it('should give an exec the Service variables of when the container started, not of now', async () => {
    const { envOfExec } = await started();
    const env = envOfExec();
    expect(env['BEFORE_SERVICE_HOST']).toBe('10.96.10.10');
    expect(env['BEFORE_PORT']).toBe('tcp://10.96.10.10:80');
    expect(env['AFTER_SERVICE_HOST']).toBeUndefined();
    expect(env['KUBERNETES_SERVICE_HOST']).toBe('10.96.0.1');
  });

  it('should see the newer Services after the container restarts', async () => {
    const { sut, store, envOfExec } = await started();
    const stored = store.get('pods', 'default', 'p')!;
    const run = sut.kubelet.runOf(stored.metadata.uid)!;
    sut.kubelet.containerExited(run, run.containers.get('c')!, 1);
    await sut.advance(15_000);
    expect(envOfExec()['AFTER_SERVICE_HOST']).toBe('10.96.20.20');
  });
});
