// Needs a Docker engine (and network access to pull k3s and the lab images): run with
// `npm run test:docker`. Without one, every test here is registered as skipped (vitest counts it so)
// and a SKIPPED banner says why; a skip is never a pass.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  CAPABILITY_CHECK_LABEL,
  PROBE_LABEL,
  RECOMMENDED_STABLE_FOR_MS,
  applyActions,
  gradeUntil,
  labNamespaces,
  runChecks,
  waitForSettled,
} from '@netlab/grader';
import { EXTERNAL_CLUSTER_LABEL } from '@netlab/infra';
import { CATALOG_DIR, listLabDirs, loadLabOrThrow } from '@netlab/labs';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClusterCheck } from '../commands/cluster-check.command';
import { runLabTests } from '../commands/lab-test.command';
import { compareAfterFault } from './expectations';

/** k3s enforces NetworkPolicy with its built-in controller, and serves every API netlab uses. */
const K3S_IMAGE = 'rancher/k3s:v1.31.5-k3s1';

/** Why these tests cannot run here, or undefined when they can. */
async function missingPrerequisite(): Promise<string | undefined> {
  try {
    await getContainerRuntimeClient();
    return undefined;
  } catch (error) {
    return `no Docker engine answers (${(error as Error).message.split('\n')[0]})`;
  }
}

const skipReason = await missingPrerequisite();
if (skipReason) {
  console.log(
    `\nSKIPPED: netlab on a real k3s cluster (testcontainers) — ${skipReason}. These tests were NOT run.\n`,
  );
}
const suite = skipReason ? describe.skip : describe;

suite('netlab on a real k3s cluster (testcontainers)', () => {
  let k3s: StartedK3sContainer | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'netlab-k3s-'));
  const kubeconfig = join(scratch, 'kubeconfig');
  const kc = new KubeConfig();
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    console.log(line);
  };

  beforeAll(async () => {
    k3s = await new K3sContainer(K3S_IMAGE).start();
    writeFileSync(kubeconfig, k3s.getKubeConfig());
    kc.loadFromString(k3s.getKubeConfig());
  }, 600_000);

  afterAll(async () => {
    await k3s?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('should find every capability netlab needs: version, APIs, pod network, DNS, NetworkPolicy, images', async () => {
    lines.length = 0;
    const code = await runClusterCheck([], { kubeconfig }, out);
    expect(lines.join('\n')).toContain(
      '  ✓ the CNI enforces NetworkPolicy: a deny-all policy stopped traffic',
    );
    expect(lines.filter((l) => /^ {2}[✗?] /.test(l))).toEqual([]);
    expect(code).toBe(0);
  });

  it('should grade the fault and the fix of a lab on a real data plane only once kube-proxy follows them', async () => {
    const lab = loadLabOrThrow(`${CATALOG_DIR}/svc-selector-mismatch`, { seed: 'k3s-grader' });
    await applyActions(kc, lab, lab.definition.setup);
    await waitForSettled(kc, labNamespaces(lab), { timeoutMs: 300_000, pollMs: 500 });
    await applyActions(kc, lab, lab.definition.fault.actions);
    const fault = await gradeUntil(kc, lab, {
      accept: (report) => compareAfterFault(lab, report).length === 0,
      stableForMs: RECOMMENDED_STABLE_FOR_MS,
      timeoutMs: 60_000,
      probeStartTimeoutMs: 300_000,
    });
    expect(fault.converged).toBe(true);
    expect(fault.report.checks.find((c) => c.id === 'service-has-endpoints')!.diagnosis).toContain(
      `tier=${lab.parameters.wrongtier as string}`,
    );

    await applyActions(kc, lab, lab.definition.solution.actions);
    const fixed = await runChecks(kc, lab, {
      stableForMs: RECOMMENDED_STABLE_FOR_MS,
      stableTimeoutMs: 60_000,
      probeStartTimeoutMs: 300_000,
    });
    expect(fixed.checks.map((c) => [c.id, c.status])).toEqual([
      ['service-has-endpoints', 'pass'],
      ['client-gets-answer', 'pass'],
      ['app-pods-ready', 'pass'],
    ]);
    const core = kc.makeApiClient(CoreV1Api);
    const probes = await core.listPodForAllNamespaces({ labelSelector: PROBE_LABEL });
    expect(probes.items.filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]);
    // Gone before lab test runs the same lab: it refuses namespaces it did not create.
    for (const namespace of labNamespaces(lab)) await core.deleteNamespace({ name: namespace });
    for (let i = 0; i < 240; i++) {
      const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
      if (!labNamespaces(lab).some((ns) => names.includes(ns))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('should pass `netlab lab test --provider external` on every catalog lab that can run on an existing cluster', async () => {
    lines.length = 0;
    const code = await runLabTests([], { provider: 'external', kubeconfig, seed: 'k3s' }, out);
    const output = lines.join('\n');
    for (const dir of listLabDirs()) {
      const id = dir.split('/').at(-1)!;
      // Only a lab whose fault is "no CNI" needs a fresh cluster; every other one must pass here.
      expect(output).toMatch(
        new RegExp(`^${id} +(PASS|SKIP +k3s +\\d+ +\\S+ +its fault needs a fresh cluster) `, 'm'),
      );
    }
    expect(code).toBe(0);
  });

  it('should leave no namespace of a lab test or a cluster check behind', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    for (const label of [EXTERNAL_CLUSTER_LABEL, CAPABILITY_CHECK_LABEL]) {
      const left = await core.listNamespace({ labelSelector: label });
      expect(
        left.items.filter((n) => n.status?.phase !== 'Terminating').map((n) => n.metadata?.name),
      ).toEqual([]);
    }
  });
});
