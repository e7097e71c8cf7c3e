import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from './context';
import { aPod, aRuntime } from './testing/runtime-harness';
import { ContainerStarter } from './container-starter';

const twoOnOnePort = aPod('web', {
  containers: [
    { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
    { name: 'files', image: 'python:3.12', command: ['python3', '-m', 'http.server', '80'] },
  ],
});

const statusOf = (pod: V1Pod, name: string) => pod.status?.containerStatuses?.find((c) => c.name === name);

describe(ContainerStarter.name, () => {
  it('should crash the second container with the real bind error when both containers of a pod bind port 80', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', twoOnOnePort);
    await sut.advance(5000);
    const pod = as<V1Pod>(store.get('pods', 'default', 'web')!);
    expect(statusOf(pod, 'web')?.state?.running).toBeDefined();
    const files = statusOf(pod, 'files')!;
    expect(files.restartCount).toBeGreaterThanOrEqual(1);
    expect(files.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const logs: string[] = [];
    for await (const l of sut.logs(
      { namespace: 'default', pod: 'web', container: 'files' },
      { previous: true },
    ))
      logs.push(l);
    expect(logs.at(-1)).toBe('OSError: [Errno 98] Address already in use\n');
    await sut.advance(30_000);
    const later = as<V1Pod>(store.get('pods', 'default', 'web')!);
    expect(statusOf(later, 'files')?.state?.waiting?.reason).toBe('CrashLoopBackOff');
  });
});
