import { KubeConfig, type V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../kube/kube-client';
import { FakeKubeClient, runningPod } from '../testing/fake-kube-client';
import { labWith } from '../testing/lab-factory';
import { runChecks } from './run-checks';
import { observeUntilStable } from './stable-verdict';

const kc = new KubeConfig();
const from = { namespace: 'shop', labels: { role: 'client' } };
const ok: ExecResult = { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\n\r\nhi\n', stderr: '' };
const refused: ExecResult = {
  exitCode: 7,
  stdout: '',
  stderr: 'curl: (7) Failed to connect to web port 80 after 1 ms: Connection refused\n',
};
const httpCheck = {
  id: 'get',
  title: 'get',
  type: 'http',
  from,
  url: 'http://web/',
  expect: { status: 200 },
};

/** A shop whose client sees `answers[i]` on its i-th request, then the last answer for ever. */
function shopAnswering(answers: ExecResult[]): FakeKubeClient {
  const client = new FakeKubeClient();
  client.namespaces = [{ metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } }];
  client.pods = [runningPod('shop', 'web-1', { app: 'web' }, '10.244.0.10', { args: ['-listen=:80'] })];
  const service: V1Service = {
    metadata: { namespace: 'shop', name: 'web' },
    spec: { selector: { app: 'web' }, clusterIP: '10.96.0.20', ports: [{ port: 80, protocol: 'TCP' }] },
  };
  client.services = [service];
  let calls = 0;
  client.onExec = () => answers[Math.min(calls++, answers.length - 1)]!;
  return client;
}

describe(observeUntilStable.name, () => {
  it('should report a pass only once it has held for the window when the first look still saw the old state', async () => {
    const client = shopAnswering([refused, ok]);
    const sut = await runChecks(kc, labWith([httpCheck]), { client, stableForMs: 120, retryDelayMs: 0 });
    const result = sut.checks[0]!;
    expect(result.status).toBe('pass');
    expect(result.evidence).toBe('GET http://web/ → HTTP 200, body "hi"');
    // One look alone shows nothing holds: at least two passing looks, the window apart (how many fit
    // in the window depends on the timer, which a loaded machine delays).
    expect(result.observations).toBeGreaterThanOrEqual(2);
    expect(result.heldForMs).toBeGreaterThanOrEqual(120);
    expect(result.unstable).toBeUndefined();
    expect(sut.passed).toBe(true);
  });

  it('should report a fail that the data plane reached after a stale pass, not the stale pass', async () => {
    // The race of a real cluster: the Service was just broken, kube-proxy still forwards for a moment.
    const client = shopAnswering([ok, ok, refused]);
    const sut = await runChecks(kc, labWith([{ ...httpCheck, retries: 0 }]), {
      client,
      stableForMs: 100,
      retryDelayMs: 0,
    });
    expect(sut.checks[0]).toMatchObject({ status: 'fail', evidence: expect.stringContaining('refused') });
    expect(sut.passed).toBe(false);
  });

  it('should report a check that keeps flipping as an unstable fail, saying so', async () => {
    const client = shopAnswering(Array.from({ length: 200 }, (_, i) => (i % 2 ? refused : ok)));
    const sut = await runChecks(kc, labWith([{ ...httpCheck, retries: 0 }]), {
      client,
      stableForMs: 100,
      stableTimeoutMs: 400,
      retryDelayMs: 0,
    });
    const result = sut.checks[0]!;
    expect(result.status).toBe('fail');
    expect(result.unstable).toBe(true);
    expect(result.evidence).toMatch(
      /no answer \(refused\).*\(the verdict kept changing for \d+\.\d s: (pass|fail)( → (pass|fail))+\)$/,
    );
    expect(result.diagnosis).toBeDefined();
  });

  it('should report the first verdict after one observation when no window is asked for', async () => {
    const client = shopAnswering([refused, ok]);
    const sut = await runChecks(kc, labWith([{ ...httpCheck, retries: 0 }]), { client, retryDelayMs: 0 });
    expect(sut.checks[0]).toMatchObject({ status: 'fail', attempts: 1 });
    expect(sut.checks[0]!.observations).toBeUndefined();
    expect(client.execs).toHaveLength(1);
  });

  it('should start one probe pod for all observations and delete it at the end', async () => {
    const client = shopAnswering([ok]);
    await runChecks(kc, labWith([httpCheck]), { client, stableForMs: 100, retryDelayMs: 0 });
    expect(client.created).toHaveLength(1);
    expect(client.execs.length).toBeGreaterThanOrEqual(3);
    expect(client.deleted).toEqual([`shop/${client.created[0]!.metadata!.name}`]);
  });
});
