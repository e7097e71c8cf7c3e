import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { PROBE_LABEL, applyActions, labNamespaces, runChecks, waitForSettled } from '@netlab/grader';
import { createSimProvider } from '@netlab/infra';
import { CATALOG_DIR, loadLabOrThrow } from '@netlab/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The grader end to end on a sim cluster, through the real client-node: what lab test relies on.
const provider = createSimProvider();
const lab = loadLabOrThrow(`${CATALOG_DIR}/svc-selector-mismatch`, { seed: 'grader-e2e' });
const { ns, app, tier, wrongtier } = lab.parameters as {
  ns: string;
  app: string;
  tier: string;
  wrongtier: string;
};
const kc = new KubeConfig();
let name = '';

beforeAll(async () => {
  const cluster = await provider.create({ name: 'grader-e2e', nodes: 2, cni: true, networkPolicy: true });
  name = cluster.name;
  kc.loadFromString(cluster.kubeconfig);
  await applyActions(kc, lab, [...lab.definition.setup, ...lab.definition.fault.actions]);
  await waitForSettled(kc, labNamespaces(lab), { timeoutMs: 15_000 });
}, 30_000);
afterAll(() => provider.delete(name));

describe('runChecks on the sim', () => {
  it('should fail the broken Service with evidence and the model diagnosis, and leave no probe pod', async () => {
    // kube-proxy applies the fault a moment after the API took it: report only verdicts that held.
    const sut = await runChecks(kc, lab, {
      reuseSourcePods: false,
      retryDelayMs: 50,
      connectTimeoutMs: 150,
      stableForMs: 1000,
    });
    const byId = Object.fromEntries(sut.checks.map((c) => [c.id, c]));
    expect(byId['service-has-endpoints']).toMatchObject({
      status: 'fail',
      evidence: `Service ${ns}/${app} has 0 ready endpoints`,
    });
    expect(byId['service-has-endpoints']!.diagnosis).toContain(`selects app=${app},tier=${wrongtier}`);
    expect(byId['service-has-endpoints']!.diagnosis).toContain(`tier=${tier}`);
    expect(byId['client-gets-answer']!.status).toBe('fail');
    expect(byId['client-gets-answer']!.evidence).toMatch(/^GET http:\/\/\S+ → no answer \(refused\)/);
    expect(byId['app-pods-ready']!.status).toBe('pass');
    const probes = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: ns, labelSelector: PROBE_LABEL });
    expect(probes.items.filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]);
  }, 30_000);

  it('should pass every check once the solution is applied', async () => {
    await applyActions(kc, lab, lab.definition.solution.actions);
    await waitForSettled(kc, labNamespaces(lab), { timeoutMs: 15_000 });
    const sut = await runChecks(kc, lab, { retryDelayMs: 50, connectTimeoutMs: 150, stableForMs: 1000 });
    expect(sut.checks.map((c) => [c.id, c.status])).toEqual([
      ['service-has-endpoints', 'pass'],
      ['client-gets-answer', 'pass'],
      ['app-pods-ready', 'pass'],
    ]);
    expect(sut.checks[1]!.evidence).toMatch(/→ HTTP 200, body "[a-z0-9]{6}\s*"; from pod /);
  }, 30_000);
});
