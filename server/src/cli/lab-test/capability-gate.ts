import { existsSync, readFileSync } from 'node:fs';
import type { ClusterReport, ImageMap } from '@netlab/grader';
import { ExternalProvider, type ClusterProvider } from '@netlab/infra';
import { loadLab, type LoadedLab } from '@netlab/labs';
import { labClusterNeeds } from '../../clusters/lab-actions';
import { checkClusterForLabs, formatClusterReport } from '../cluster/cluster-check';
import { clusterName } from './lab-test.runner';

/**
 * Before any lab runs on a real cluster, checks what the cluster can do for these labs and prints
 * the report: the external cluster itself, or (kind) one throwaway cluster made like the labs' own
 * and deleted afterwards. The sim is not checked here: it has every capability (a spec proves it).
 */
export async function checkUpFront(
  provider: ClusterProvider,
  dirs: string[],
  flags: { kubeconfig?: string; seed?: string },
  imageMap: ImageMap | undefined,
  out: (line: string) => void,
): Promise<ClusterReport | undefined> {
  if (provider.kind === 'sim') return undefined;
  const labs = dirs
    .map((dir) => loadLab(dir, { seed: flags.seed ?? 'cluster-check' }))
    .filter((r): r is { ok: true; lab: LoadedLab } => r.ok)
    .map((r) => r.lab)
    // A lab the provider will not run (no CNI on an existing cluster) needs nothing checked.
    .filter((lab) => provider.kind !== 'external' || !ExternalProvider.refusal(labClusterNeeds(lab)));
  const timing = { podStartTimeoutMs: 120_000, enforcementTimeoutMs: 15_000, connectTimeoutMs: 1000 };
  out('Checking what the cluster can do for these labs…');
  let report: ClusterReport;
  if (provider.kind === 'external') {
    report = await checkClusterForLabs(externalKubeconfig(flags.kubeconfig), labs, imageMap, timing);
  } else {
    const handle = await provider.create({
      name: clusterName('lt-check', 'cluster'),
      nodes: 1,
      cni: true,
      networkPolicy: true,
      labels: { 'netlab.dev/purpose': 'lab-test' },
    });
    try {
      report = await checkClusterForLabs(handle.kubeconfig, labs, imageMap, timing);
    } finally {
      await provider.delete(handle.name).catch(() => undefined);
    }
  }
  for (const line of formatClusterReport(report)) out(line);
  out('');
  return report;
}

function externalKubeconfig(path: string | undefined): string {
  const file = path ?? process.env.KUBECONFIG?.split(':')[0] ?? '';
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
