import { KubeConfig } from '@kubernetes/client-node';
import {
  applyActions,
  gradeUntil,
  labNamespaces,
  runChecks,
  waitForSettled,
  type GradeReport,
} from '@netlab/grader';
import { createSimProvider } from '@netlab/infra';
import { CATALOG_DIR, loadLabOrThrow } from '@netlab/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAfterFault } from './expectations';
import { testLab } from './lab-test.runner';
import { timingFor } from './provider-choice';

// The race a real cluster showed: the API accepts a Service patch and the EndpointSlices follow at
// once, so the cluster looks settled, but kube-proxy rewrites its rules a moment later; a grade made
// in between sees the old data plane. The sim models that delay (250 ms by default, as kind); here it
// is stretched to 3 s so the stale window is wide enough to hit on a loaded machine, every time.
const KUBE_PROXY_SYNC_MS = 3000;
const provider = createSimProvider({ propagation: { kubeProxySyncMs: KUBE_PROXY_SYNC_MS } });
const lab = loadLabOrThrow(`${CATALOG_DIR}/svc-selector-mismatch`, { seed: 'race' });
const kc = new KubeConfig();
const sim = { retryDelayMs: 50, connectTimeoutMs: 150 };
const statusOf = (report: GradeReport, id: string) => report.checks.find((c) => c.id === id)?.status;
let name = '';

beforeAll(async () => {
  const cluster = await provider.create({ name: 'race', nodes: 2, cni: true, networkPolicy: true });
  name = cluster.name;
  kc.loadFromString(cluster.kubeconfig);
  await applyActions(kc, lab, lab.definition.setup);
  await waitForSettled(kc, labNamespaces(lab), { timeoutMs: 30_000 });
  // Let kube-proxy program the healthy app, so the fault's patch starts a sync of its own.
  await new Promise((r) => setTimeout(r, KUBE_PROXY_SYNC_MS + 500));
}, 60_000);
afterAll(() => provider.delete(name));

describe('grading while kube-proxy catches up (sim with a propagation delay)', () => {
  it('should see the old data plane in a grade made right after settling: the race', async () => {
    await applyActions(kc, lab, lab.definition.fault.actions);
    const settle = await waitForSettled(kc, labNamespaces(lab), { timeoutMs: 30_000 });
    const sut = await runChecks(kc, lab, sim);

    expect(settle.settled).toBe(true); // the API is at rest: the slices already follow the new selector
    expect(statusOf(sut, 'service-has-endpoints')).toBe('fail');
    expect(statusOf(sut, 'client-gets-answer')).toBe('pass'); // kube-proxy still forwards to the old pods
    expect(compareAfterFault(lab, sut)).toEqual([
      expect.stringMatching(/^client-gets-answer: expected fail under the fault, got pass/),
    ]);
  }, 60_000);

  it('should wait for the data plane and grade the fault as declared once it has converged', async () => {
    const sut = await gradeUntil(kc, lab, {
      ...sim,
      accept: (report) => compareAfterFault(lab, report).length === 0,
      stableForMs: 1000,
      timeoutMs: 30_000,
      pollMs: 100,
    });

    expect(sut.converged).toBe(true);
    expect(statusOf(sut.report, 'client-gets-answer')).toBe('fail');
    expect(sut.report.checks.find((c) => c.id === 'client-gets-answer')!.evidence).toMatch(
      /no answer \(refused\)/,
    );
    expect(sut.heldForMs).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  it('should report a learner fix as passing only once traffic follows it, with stableForMs', async () => {
    await applyActions(kc, lab, lab.definition.solution.actions);
    // The window must outlast the propagation delay (2 s against kind's 0.25 s; here 4 s against 3 s).
    const sut = await runChecks(kc, lab, {
      ...sim,
      stableForMs: KUBE_PROXY_SYNC_MS + 1000,
      stableTimeoutMs: 30_000,
    });

    const answer = sut.checks.find((c) => c.id === 'client-gets-answer')!;
    expect(answer.status).toBe('pass');
    expect(answer.unstable).toBeUndefined();
    expect(answer.observations).toBeGreaterThanOrEqual(3);
    expect(answer.heldForMs).toBeGreaterThanOrEqual(KUBE_PROXY_SYNC_MS + 1000);
    expect(sut.passed).toBe(true);
  }, 60_000);

  it('should pass `lab test` on a lab whose fault and fix reach the data plane seconds late', async () => {
    const lines: string[] = [];
    const sut = await testLab(`${CATALOG_DIR}/wrong-targetport`, {
      ...timingFor('sim'),
      convergeTimeoutOverrideMs: 30_000, // the sim's default 10 s is for its realistic 0.25 s delay
      provider,
      seed: 'race',
      out: (line) => lines.push(line),
    });

    expect(sut.deviations).toEqual([]);
    expect(sut.status).toBe('pass');
    expect(lines.join('\n')).toMatch(
      /checks under the fault as declared: converged \d+\.\d s after the change/,
    );
  }, 120_000);
});
