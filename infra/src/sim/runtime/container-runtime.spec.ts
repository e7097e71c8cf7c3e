import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ToolboxShell } from '../toolbox/toolbox-shell';
import { SimClusterRuntime } from './cluster-runtime';
import { as } from './context';
import { aDeployment, aPod, aRuntime, aService } from './testing/runtime-harness';
import { aProcessIO } from './testing/process-io';

describe(`${SimClusterRuntime.name} streaming`, () => {
  it('should run exec in the emulated shell answering from the dataplane', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    store.create(
      'apps/deployments',
      aDeployment('web', { image: 'hashicorp/http-echo', args: ['-text=hi'] }, 1),
    );
    store.create('services', aService('web', { app: 'web' }, 80, 5678, '10.96.50.50'));
    await sut.advance(3000);
    const io = aProcessIO();
    const code = await sut.exec(
      { namespace: 'default', pod: 'client', container: 'c' },
      ['wget', '-qO-', 'http://web'],
      io,
    );
    expect(io.err()).toBe('');
    expect(io.out()).toBe('hi\n');
    expect(code).toBe(0);
  });

  it('should refuse exec into a container that does not exist or is not running', async () => {
    const { sut, store } = await aRuntime({ cni: false });
    store.create('pods', aPod('p', { nodeName: 'lab-worker', containers: [{ name: 'c', image: 'nginx' }] }));
    await sut.advance(1000);
    await expect(
      sut.exec({ namespace: 'default', pod: 'nope', container: 'c' }, ['sh'], aProcessIO()),
    ).rejects.toThrow('pods "nope" not found');
    await expect(
      sut.exec({ namespace: 'default', pod: 'p', container: 'x' }, ['sh'], aProcessIO()),
    ).rejects.toThrow('container x is not valid for pod p');
    await expect(
      sut.exec({ namespace: 'default', pod: 'p', container: 'c' }, ['sh'], aProcessIO()),
    ).rejects.toThrow('container not found ("c")');
  });

  it('should end a `kubectl run -it --restart=Never -- sh` pod with the shell exit code when the attached shell exits', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('bb', {
        restartPolicy: 'Never',
        containers: [
          { name: 'bb', image: 'busybox', command: ['sh'], stdin: true, stdinOnce: true, tty: true },
        ],
      }),
    );
    await sut.advance(3000);
    expect(as<V1Pod>(store.get('pods', 'default', 'bb')!).status?.phase).toBe('Running');
    const io = aProcessIO({ tty: true });
    const done = sut.attach({ namespace: 'default', pod: 'bb', container: 'bb' }, io);
    io.stdin.write('echo hello\r');
    io.stdin.write('exit 3\r');
    expect(await done).toBe(0); // attach itself succeeds; the exit code is in the pod status
    expect(io.out()).toContain('hello');
    await sut.settle();
    const pod = as<V1Pod>(store.get('pods', 'default', 'bb')!);
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(3);
  });

  it('should start an ephemeral debug container in a running pod and give it the pod network identity', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('web', {
        containers: [
          {
            name: 'web',
            image: 'python:3',
            command: ['python', '-m', 'http.server', '--bind', '127.0.0.1', '8080'],
          },
        ],
      }),
    );
    await sut.advance(3000);
    const s = store.get('pods', 'default', 'web')!;
    const spec = {
      ...(s.spec as object),
      ephemeralContainers: [
        { name: 'debugger-x', image: 'busybox', stdin: true, tty: true, targetContainerName: 'web' },
      ],
    };
    store.update('pods', { ...s, metadata: { ...s.metadata, resourceVersion: undefined }, spec });
    await sut.advance(3000);
    const pod = as<V1Pod>(store.get('pods', 'default', 'web')!);
    expect(pod.status?.ephemeralContainerStatuses?.[0]?.state?.running).toBeDefined();
    const io = aProcessIO();
    const code = await sut.exec(
      { namespace: 'default', pod: 'web', container: 'debugger-x' },
      ['wget', '-qO-', 'http://127.0.0.1:8080/'],
      io,
    );
    expect(code).toBe(0);
    expect(io.out()).toContain('Directory listing for /');
  });

  it('should end an exec session with 137 when the pod is deleted under it', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('bb', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    await sut.advance(3000);
    const io = aProcessIO({ tty: true });
    const session = sut.exec({ namespace: 'default', pod: 'bb', container: 'c' }, ['sh'], io);
    await sut.settle();
    store.delete('pods', 'default', 'bb'); // kubectl delete --grace-period=0 --force
    expect(await session).toBe(137);
  });

  it('should run a real sandboxed shell with kubectl configured when exec targets the toolbox image', async () => {
    const kubeconfig =
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: https://127.0.0.1:6443}}]\n';
    const { sut, store } = await aRuntime({ kubeconfig });
    store.create(
      'pods',
      aPod('toolbox', { containers: [{ name: 'toolbox', image: 'netlab/toolbox:latest' }] }),
    );
    await sut.advance(3000);
    const io = aProcessIO();
    const code = await sut.exec(
      { namespace: 'default', pod: 'toolbox', container: 'toolbox' },
      ['sh', '-c', 'cat "$KUBECONFIG"; id -u; touch /usr/x 2>/dev/null || echo read-only'],
      io,
    );
    expect(code).toBe(0);
    // As root, each cluster's shells get a uid of their own from the toolbox range.
    const expectedUid = process.getuid?.() === 0 ? '2000000' : String(process.getuid?.());
    // .ci/run installs bubblewrap, so in CI the fallback branch must not stand in for the sandbox.
    if (process.env.CI) expect(ToolboxShell.isolation().sandbox).toBe('bubblewrap');
    if (ToolboxShell.isolation().sandbox === 'bubblewrap') {
      expect(io.out()).toBe(`${kubeconfig}${expectedUid}\nread-only\n`);
    } else {
      // Without bubblewrap (Debian package `bubblewrap`) the shell still runs, and says it is unsandboxed.
      expect(io.out()).toContain(`${kubeconfig}${expectedUid}\n`);
      expect(io.err()).toContain('its sandbox is unavailable');
    }
    await sut.stop();
  });
});
