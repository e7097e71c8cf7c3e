import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: python:3.12
      command: ['python3', '-m', 'http.server', '80']
    - name: proxy
      image: nginx:1.27
      ports: [{ containerPort: 80 }]
`;

describe('sim containers of one pod binding the same port, kubectl 1.30', { timeout: 90_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld({ minor: 30 });
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should show the second container in Error then CrashLoopBackOff with nginx bind() errors in its log', async () => {
    await k('apply', '-f', sut.file('pod.yaml', pod));
    const seen = new Set<string>();
    await eventually(async () => {
      const row = rows((await k('get', 'pod', 'web')).stdout)[1]!;
      seen.add(row[2]!);
      return row[1] === '1/2' && row[2] === 'CrashLoopBackOff';
    }, 'web 1/2 CrashLoopBackOff');
    expect([...seen].some((s) => s === 'Error' || s === 'CrashLoopBackOff')).toBe(true);
    const logs = (await k('logs', 'web', '-c', 'proxy', '--previous')).stdout;
    expect(logs).toContain('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)');
    expect(logs.trimEnd().split('\n').at(-1)).toBe('nginx: [emerg] still could not bind()');
    const state = JSON.parse(
      (
        await k(
          'get',
          'pod',
          'web',
          '-o',
          'jsonpath={.status.containerStatuses[?(@.name=="proxy")].lastState}',
        )
      ).stdout,
    );
    expect(state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const first = JSON.parse(
      (await k('get', 'pod', 'web', '-o', 'jsonpath={.status.containerStatuses[?(@.name=="web")]}')).stdout,
    );
    expect(first).toMatchObject({ restartCount: 0, ready: true });
  });
});
