import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { runMainProcess } from './main-process';
import type { PropagationSetting } from './propagation';
import { aPod, aRuntime, eventReasons, podStatusWord } from './testing/runtime-harness';

const client = { namespace: 'default', name: 'client' };

async function withPod(
  container: Record<string, unknown>,
  restartPolicy = 'Never',
  propagation: PropagationSetting = 'fast',
) {
  const h = await aRuntime({ propagation });
  h.store.create(
    'pods',
    aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  h.store.create(
    'pods',
    aPod('p', { restartPolicy, containers: [{ name: 'c', ...container }] }, { app: 'p' }),
  );
  await h.sut.advance(1000);
  const pod = () => h.store.get('pods', 'default', 'p') as unknown as V1Pod;
  const logs = async () => {
    const out: string[] = [];
    for await (const l of h.sut.logs({ namespace: 'default', pod: 'p', container: 'c' }, {})) out.push(l);
    return out.join('');
  };
  return { ...h, pod, logs };
}

describe(runMainProcess.name, () => {
  it('should log what the script prints and end Completed when it exits 0', async () => {
    const { pod, logs } = await withPod({
      image: 'busybox',
      command: ['sh', '-c', 'echo hi; hostname; echo rc=$?'],
    });
    expect(await logs()).toBe('hi\np\nrc=0\n');
    expect(pod().status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(pod().status?.phase).toBe('Succeeded');
  });

  it('should run wget through the dataplane as kubectl exec does, printing the answer', async () => {
    const { sut, store, logs } = await withPod({
      image: 'busybox:1.36',
      command: [
        'sh',
        '-c',
        'sleep 2; wget -qO- http://10.244.9.9:1 || echo rc=$?; wget -qO- -T 2 http://echo',
      ],
    });
    store.create(
      'pods',
      aPod(
        'echo',
        { containers: [{ name: 'c', image: 'hashicorp/http-echo', args: ['-text=from echo'] }] },
        { app: 'echo' },
      ),
    );
    store.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo', namespace: 'default' },
      spec: {
        clusterIP: '10.96.7.7',
        clusterIPs: ['10.96.7.7'],
        selector: { app: 'echo' },
        ports: [{ port: 80, targetPort: 5678, protocol: 'TCP' }],
      },
    });
    await sut.advance(5000);
    const out = await logs();
    expect(out).toContain('rc=1\n');
    expect(out).toContain('from echo\n');
  });

  it('should end Error with the exit code and restart into CrashLoopBackOff under restartPolicy Always', async () => {
    const { sut, pod, store } = await withPod(
      { image: 'busybox', command: ['sh', '-c', 'echo failing; exit 3'] },
      'Always',
    );
    const status = pod().status?.containerStatuses?.[0];
    expect(status?.lastState?.terminated ?? status?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    await sut.advance(30_000);
    expect(podStatusWord(pod())).toBe('CrashLoopBackOff');
    expect(eventReasons(store, 'p')).toContain('BackOff');
    void client;
  });

  it("should show the last crashed instance's log while the container waits to restart, as the kubelet does", async () => {
    const { sut, pod, logs } = await withPod(
      { image: 'busybox', command: ['sh', '-c', 'echo failing; exit 3'] },
      'Always',
      { containerStartMs: 500 },
    );
    const seen = new Set<string>();
    for (let t = 0; t < 60_000; t += 250) {
      const status = pod().status?.containerStatuses?.[0];
      seen.add(Object.keys(status?.state ?? {})[0] ?? '');
      expect(await logs(), `logs at +${t} ms (${JSON.stringify(status?.state)})`).toBe('failing\n');
      await sut.advance(250);
    }
    expect(seen).toContain('waiting');
    const previous: string[] = [];
    for await (const l of sut.logs({ namespace: 'default', pod: 'p', container: 'c' }, { previous: true }))
      previous.push(l);
    expect(previous).toEqual(['failing\n']);
  });

  it('should keep a sleep running until the cluster clock passes it', async () => {
    const { sut, pod } = await withPod({ image: 'busybox', command: ['sleep', '10'] });
    expect(pod().status?.phase).toBe('Running');
    await sut.advance(8000);
    expect(pod().status?.phase).toBe('Running');
    await sut.advance(2000);
    expect(pod().status?.phase).toBe('Succeeded');
  });

  it('should serve files the script wrote with busybox httpd -f, where it listens', async () => {
    const { sut } = await withPod({
      image: 'busybox',
      command: [
        'sh',
        '-c',
        'mkdir -p /www; echo hello from httpd > /www/index.html && httpd -f -p 8080 -h /www',
      ],
    });
    expect(
      sut.dataplane
        .listeners()
        .filter((l) => l.pod === 'p')
        .map((l) => `${l.address}:${l.port}`),
    ).toEqual(['0.0.0.0:8080']);
    const ip = (sut.store.get('pods', 'default', 'p')!.status as { podIP: string }).podIP;
    const answer = await sut.dataplane.http(client, {
      method: 'GET',
      url: `http://${ip}:8080/`,
      headers: {},
    });
    expect(answer).toMatchObject({ kind: 'response', status: 200, body: 'hello from httpd\n' });
  });

  it('should answer with what nc -l was given and serve again in a while loop', async () => {
    const { sut, logs } = await withPod({
      image: 'busybox',
      command: [
        'sh',
        '-c',
        `while true; do printf 'HTTP/1.1 200 OK\\r\\n\\r\\nhi from nc\\n' | nc -l -p 7000; done`,
      ],
    });
    const ip = (sut.store.get('pods', 'default', 'p')!.status as { podIP: string }).podIP;
    for (let i = 0; i < 2; i++) {
      const answer = await sut.dataplane.http(client, {
        method: 'GET',
        url: `http://${ip}:7000/x`,
        headers: {},
      });
      expect(answer).toMatchObject({ kind: 'response', status: 200, body: 'hi from nc\n' });
      await sut.advance(100);
    }
    expect((await logs()).match(/GET \/x HTTP\/1\.1/g)).toHaveLength(2);
  });

  it('should stop the process when the pod is deleted (a shell ignores SIGTERM: the grace period)', async () => {
    const { sut, store, pod } = await withPod({
      image: 'busybox',
      command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'],
    });
    const p = store.get('pods', 'default', 'p')!;
    store.update('pods', {
      ...p,
      metadata: {
        ...p.metadata,
        resourceVersion: undefined,
        deletionTimestamp: new Date(sut.ctx.clock.now() + 5000).toISOString(),
        deletionGracePeriodSeconds: 5,
      },
    });
    await sut.advance(3000);
    expect(podStatusWord(pod())).toBe('Terminating');
    await sut.advance(3000);
    expect(store.get('pods', 'default', 'p')).toBeUndefined();
  });
});
