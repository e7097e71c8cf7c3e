import { KubeConfig } from '@kubernetes/client-node';
import {
  CHECK_SERVER_IMAGE,
  DEFAULT_PROBE_IMAGE,
  checkCluster,
  labNeeds,
  mapImage,
  type ClusterReport,
  type ImageMap,
} from '@netlab/grader';
import type { LoadedLab } from '@netlab/labs';

/** How long the capability check may take on a real cluster. */
export interface ClusterCheckTiming {
  podStartTimeoutMs: number;
  enforcementTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * Checks what the cluster behind `kubeconfig` can do for these labs: the grader's needs, plus
 * every image and API the labs use (after the image map).
 */
export function checkClusterForLabs(
  kubeconfig: string,
  labs: LoadedLab[],
  imageMap: ImageMap | undefined,
  timing: ClusterCheckTiming,
): Promise<ClusterReport> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const needs = labs.map((lab) => labNeeds(lab, imageMap));
  return checkCluster(kc, {
    images: [...new Set(needs.flatMap((n) => n.images))],
    apis: needs.flatMap((n) => n.apis),
    probeImage: mapImage(DEFAULT_PROBE_IMAGE, imageMap),
    serverImage: mapImage(CHECK_SERVER_IMAGE, imageMap),
    ...timing,
  });
}

/** The report as an instructor reads it: one line per capability, ✓ / ✗ / ?, each with its sentence. */
export function formatClusterReport(report: ClusterReport): string[] {
  const mark = { ok: '✓', missing: '✗', unknown: '?' } as const;
  return [
    `cluster ${report.server}${report.version ? ` (Kubernetes ${report.version})` : ''}`,
    ...report.results.map((r) => `  ${mark[r.status]} ${r.title}: ${r.detail}`),
    `  ${report.cleanedUp ? 'throwaway namespace deleted' : '! the throwaway namespace netlab-check-* is still terminating'}; checked in ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
}

/** The first call runs `check`; every later call gets the same answer (one check per `lab test` run). */
export function once<A extends unknown[], T>(check: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let result: Promise<T> | undefined;
  return (...args) => (result ??= check(...args));
}
