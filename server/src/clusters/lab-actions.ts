import type { KubeConfig } from '@kubernetes/client-node';
import {
  applyActions,
  DEFAULT_PROBE_IMAGE,
  labNamespaces,
  mapImage,
  runChecks,
  waitForSettled,
  type AppliedChange,
  type GradeReport,
  type ImageMap,
  type SettleResult,
} from '@netlab/grader';
import { EXTERNAL_CLUSTER_LABEL, type ClusterSpec } from '@netlab/infra';
import type { Action, LoadedLab } from '@netlab/labs';

// The one way a lab is put on a cluster and graded, shared by `netlab lab test` and the attempts
// layer, so a lab that passes its lab test behaves the same for a learner.

/** How long applying and grading may take on a provider (see `timingFor`). */
export interface LabTiming {
  settleTimeoutMs: number;
  notReadyGraceMs?: number;
  retryDelayMs: number;
  probeStartTimeoutMs: number;
  connectTimeoutMs?: number;
  /** Pause between looks while waiting for the cluster to settle (default 50 ms). */
  pollMs?: number;
  /** How long a verdict must hold before a grade reports it (see GradeOptions.stableForMs). */
  stableForMs?: number;
  imageMap?: ImageMap;
}

/**
 * What the lab needs from its cluster while the fault is in place (the fault may turn the CNI off),
 * and the images it declares with their behaviour (the sim runs them; kind pulls the real ones).
 */
export function labClusterNeeds(
  lab: LoadedLab,
): Pick<ClusterSpec, 'nodes' | 'cni' | 'networkPolicy' | 'images'> {
  const needs = { ...lab.definition.cluster, ...lab.definition.fault.cluster };
  const images = lab.definition.images ?? [];
  return {
    nodes: needs.nodes ?? 2,
    cni: needs.cni ?? true,
    networkPolicy: needs.networkPolicy ?? true,
    ...(images.length ? { images } : {}),
  };
}

/** The outcome of one list of actions: the changes made and whether the cluster settled after them. */
export interface ActedResult {
  changes: AppliedChange[];
  settle: SettleResult;
}

/**
 * Applies actions (setup, fault, solution, a bypass) as a learner's kubectl would and waits for
 * the lab namespaces and kube-system to settle. Namespaces made are labelled with the cluster name
 * so a shared (external) cluster can tell netlab's namespaces from others. `settle: false` skips
 * the wait (the next actions only need the objects to exist, e.g. a fault patching the setup's Service).
 */
export async function applyLabActions(
  kc: KubeConfig,
  lab: LoadedLab,
  actions: Action[],
  clusterName: string,
  timing: LabTiming,
  options: { settle?: boolean } = {},
): Promise<ActedResult> {
  const changes = await applyActions(kc, lab, actions, {
    imageMap: timing.imageMap,
    namespaceLabels: { [EXTERNAL_CLUSTER_LABEL]: clusterName },
  });
  if (options.settle === false) return { changes, settle: { settled: true, pending: [] } };
  const settle = await waitForSettled(kc, [...labNamespaces(lab), 'kube-system'], {
    timeoutMs: timing.settleTimeoutMs,
    notReadyGraceMs: timing.notReadyGraceMs,
    pollMs: timing.pollMs,
  });
  return { changes, settle };
}

/** Runs every check of the lab against the cluster (see `runChecks`). */
export function gradeLab(kc: KubeConfig, lab: LoadedLab, timing: LabTiming): Promise<GradeReport> {
  return runChecks(kc, lab, {
    probeImage: mapImage(DEFAULT_PROBE_IMAGE, timing.imageMap),
    retryDelayMs: timing.retryDelayMs,
    probeStartTimeoutMs: timing.probeStartTimeoutMs,
    connectTimeoutMs: timing.connectTimeoutMs,
    stableForMs: timing.stableForMs,
  });
}
