import { KubeConfig, type V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../kube/kube-client';
import { FakeKubeClient, runningPod } from '../testing/fake-kube-client';
import { labWith } from '../testing/lab-factory';
import { gradeUntil } from './grade-until';

const kc = new KubeConfig();
const ok: ExecResult = { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\n\r\nhi\n', stderr: '' };
const refused: ExecResult = {
  exitCode: 7,
  stdout: '',
  stderr: 'curl: (7) Failed to connect to web port 80 after 1 ms: Connection refused\n',
};
const lab = labWith([
  {
    id: 'get',
    title: 'get',
    type: 'http',
    from: { namespace: 'shop', labels: { role: 'client' } },
    url: 'http://web/',
    expect: { status: 200 },
    retries: 0,
  },
]);
const failing = (report: { checks: { status: string }[] }) => report.checks.every((c) => c.status === 'fail');

function shopAnswering(answers: ExecResult[]): FakeKubeClient {
  const client = new FakeKubeClient();
  client.namespaces = [{ metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } }];
  client.pods = [runningPod('shop', 'web-1', { app: 'web' }, '10.244.0.10', { args: ['-listen=:80'] })];
  const service: V1Service = {
    metadata: { namespace: 'shop', name: 'web' },
    spec: { selector: { app: 'nothing' }, clusterIP: '10.96.0.20', ports: [{ port: 80, protocol: 'TCP' }] },
  };
  client.services = [service];
  let calls = 0;
  client.onExec = () => answers[Math.min(calls++, answers.length - 1)]!;
  return client;
}

describe(gradeUntil.name, () => {
  it('should grade again until the checks show the declared state, and say how long that took', async () => {
    const client = shopAnswering([ok, ok, refused]);
    const sut = await gradeUntil(kc, lab, {
      client,
      accept: failing,
      stableForMs: 100,
      pollMs: 20,
      retryDelayMs: 0,
    });
    expect(sut.converged).toBe(true);
    expect(sut.report.checks[0]!.status).toBe('fail');
    expect(sut.report.checks[0]!.diagnosis).toContain('app=nothing');
    expect(sut.grades).toBeGreaterThanOrEqual(4); // two stale passes, then fails over the window
    expect(sut.convergedAfterMs).toBeGreaterThan(0);
    expect(sut.heldForMs).toBeGreaterThanOrEqual(100);
  });

  it('should give up after the timeout and return the last grade as not converged', async () => {
    const client = shopAnswering([ok]);
    const sut = await gradeUntil(kc, lab, {
      client,
      accept: failing,
      timeoutMs: 150,
      pollMs: 20,
      retryDelayMs: 0,
    });
    expect(sut.converged).toBe(false);
    expect(sut.convergedAfterMs).toBeUndefined();
    expect(sut.report.checks[0]!.status).toBe('pass');
    expect(sut.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('should not count an accepted grade that the next one contradicts', async () => {
    const client = shopAnswering([refused, ok, ok, ok, ok, ok, ok, ok, ok]);
    const sut = await gradeUntil(kc, lab, {
      client,
      accept: failing,
      stableForMs: 100,
      timeoutMs: 200,
      pollMs: 20,
      retryDelayMs: 0,
    });
    expect(sut.converged).toBe(false);
    expect(sut.report.checks[0]!.status).toBe('pass');
  });

  it('should keep one probe pod across grades and delete it before returning', async () => {
    const client = shopAnswering([ok, refused]);
    await gradeUntil(kc, lab, { client, accept: failing, pollMs: 10, retryDelayMs: 0 });
    expect(client.created).toHaveLength(1);
    expect(client.deleted).toEqual([`shop/${client.created[0]!.metadata!.name}`]);
  });
});
