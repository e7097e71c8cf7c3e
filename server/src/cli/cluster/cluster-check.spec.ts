import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { CAPABILITY_CHECK_LABEL } from '@netlab/grader';
import { createSimProvider } from '@netlab/infra';
import { afterAll, describe, expect, it } from 'vitest';
import { runClusterCheck } from '../commands/cluster-check.command';

// The capability check against the sim, through the real client-node: the sim has everything a
// lab needs, and a sim cluster whose CNI ignores NetworkPolicy is told apart.
const provider = createSimProvider();
const made: string[] = [];
afterAll(() => Promise.all(made.map((name) => provider.delete(name))));

async function simCluster(name: string, networkPolicy: boolean): Promise<{ file: string; kc: KubeConfig }> {
  const handle = await provider.create({ name, nodes: 2, cni: true, networkPolicy });
  made.push(handle.name);
  const file = join(mkdtempSync(join(tmpdir(), 'netlab-cc-')), 'kubeconfig');
  writeFileSync(file, handle.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromString(handle.kubeconfig);
  return { file, kc };
}

async function check(labs: string[], flags: Parameters<typeof runClusterCheck>[1]) {
  const lines: string[] = [];
  const code = await runClusterCheck(labs, flags, (l) => lines.push(l));
  return { code, output: lines.join('\n') };
}

describe('netlab cluster check', () => {
  it('should find every capability on a sim cluster, say every lab can run, and leave nothing behind', async () => {
    const { file, kc } = await simCluster('cc-full', true);
    const { code, output } = await check([], { kubeconfig: file });

    expect(output).toMatch(/^cluster https:\/\/\S+ \(Kubernetes v1\.33\.\d+\)$/m);
    for (const title of [
      'Kubernetes 1.21 or newer: the cluster runs Kubernetes v1.33',
      'the APIs netlab and the labs use: all ',
      'the probe and lab images can be pulled: all ',
      "pods reach each other: a pod got HTTP 200 from another pod's IP",
      'cluster DNS answers pods: kubernetes.default.svc.cluster.local resolves to ',
      'the CNI enforces NetworkPolicy: a deny-all policy stopped traffic between two pods',
    ]) {
      expect(output).toContain(`  ✓ ${title}`);
    }
    expect(output).toContain('throwaway namespace deleted');
    expect(output).toMatch(/^ {2}✓ networkpolicy-blocks-api$/m);
    expect(output).toMatch(/^ {2}- no-cni: its fault needs a fresh cluster without a CNI/m);
    expect(code).toBe(0);
    const left = await kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: CAPABILITY_CHECK_LABEL });
    expect(left.items).toEqual([]);
  }, 120_000);

  it('should find a CNI that ignores NetworkPolicy and say which labs cannot run there', async () => {
    const { file } = await simCluster('cc-nopolicy', false);
    const { code, output } = await check(['networkpolicy-blocks-api', 'svc-selector-mismatch'], {
      kubeconfig: file,
    });

    expect(output).toMatch(
      /^ {2}✗ the CNI enforces NetworkPolicy: the CNI does not enforce NetworkPolicy: traffic still flowed \d+ s after a deny-all policy/m,
    );
    expect(output).toMatch(
      /^ {2}- networkpolicy-blocks-api: it uses NetworkPolicies, and the CNI does not enforce/m,
    );
    expect(output).toMatch(/^ {2}✓ svc-selector-mismatch$/m);
    expect(output).toContain('labs (1 of 2 can run here):');
    expect(code).toBe(1);
  }, 120_000);

  it('should print the report as JSON', async () => {
    const { file } = await simCluster('cc-json', true);
    const { output } = await check(['svc-selector-mismatch'], { kubeconfig: file, json: true });
    const report = JSON.parse(output) as { ok: boolean; labs: { lab: string; runs: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.labs).toEqual([{ lab: 'svc-selector-mismatch', runs: true, why: [] }]);
  }, 120_000);

  it.each([
    [{ kubeconfig: '/nonexistent' }, 'error: --kubeconfig /nonexistent: no such file'],
    [
      { kubeconfig: '/etc/hostname', imageMap: '/nonexistent.yaml' },
      'error: --image-map /nonexistent.yaml: no such file',
    ],
  ])('should refuse %j with one line and exit 2', async (flags, message) => {
    const { code, output } = await check([], flags);
    expect(output).toBe(message);
    expect(code).toBe(2);
  });

  it('should exit 2 naming the server when the cluster does not answer', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-cc-')), 'kubeconfig');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const { code, output } = await check(['svc-selector-mismatch'], { kubeconfig: file });
    expect(output).toMatch(/^error: cannot reach the cluster API \(ECONNREFUSED\)/);
    expect(code).toBe(2);
  });
});
