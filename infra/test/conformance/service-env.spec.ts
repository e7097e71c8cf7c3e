import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPods, startRuntimeWorld, waitReady, type KubectlWorld } from './kubectl-harness';

/** Service environment variables are fixed when the container starts (Connecting Applications with Services). */
describe('Service environment variables seen through kubectl exec', { timeout: 90_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const serviceVars = async (pod: string) =>
    (await k('exec', pod, '--', 'printenv')).stdout
      .split('\n')
      .filter((l) => /^MY_NGINX_SERVICE_HOST=/.test(l));

  beforeAll(async () => {
    sut = await startRuntimeWorld();
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should not show a Service created after the pod started, and show it in a pod started after', async () => {
    await runPods(sut, [['early', 'busybox:1.36', 'sleep', '3600']]);
    await k('create', 'service', 'clusterip', 'my-nginx', '--tcp=80:80');
    expect(await serviceVars('early')).toEqual([]);
    await k('run', 'late', '--image=busybox:1.36', '--', 'sleep', '3600');
    await k(
      'run',
      'nolinks',
      '--image=busybox:1.36',
      '--overrides={"spec":{"enableServiceLinks":false}}',
      '--',
      'sleep',
      '3600',
    );
    await waitReady(sut, ['late', 'nolinks']);
    const ip = (await k('get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    expect(await serviceVars('late')).toEqual([`MY_NGINX_SERVICE_HOST=${ip}`]);
    expect(await serviceVars('nolinks')).toEqual([]);
    expect((await k('exec', 'nolinks', '--', 'printenv', 'KUBERNETES_SERVICE_HOST')).stdout).toBe(
      '10.96.0.1\n',
    );
  });
});
