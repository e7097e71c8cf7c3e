import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/kube-client';
import { apiMessage, rethrowFatal } from '../kube/kube-errors';

/** Waiting reasons that mean the image could not be pulled. */
const PULL_FAILURES = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
]);
/** Waiting reasons that mean the kubelet has not got that far yet. */
const NOT_YET = new Set(['ContainerCreating', 'PodInitializing']);

/** A pod of the check as it ended up: running (with its IP), its image not pullable, or neither in time. */
export type PodState =
  | { state: 'running'; pod: V1Pod; ip?: string }
  | { state: 'pulled'; pod: V1Pod }
  | { state: 'pull-failed'; reason: string }
  | { state: 'not-started'; reason: string };

/** A throwaway pod: never restarted, gone at once when deleted, ended by the kubelet after 5 min anyway. */
export function scratchPod(
  namespace: string,
  name: string,
  image: string,
  labels: Record<string, string>,
  extra: { args?: string[]; command?: string[] } = {},
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'netlab.dev/purpose': 'capability-check', ...labels } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: 300,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [{ name: 'main', image, ...extra }],
    },
  };
}

/**
 * Creates the pod and waits until its container runs (or, with `pulledIsEnough`, until its image
 * is on the node whatever the container does next), its image fails to pull, or time runs out.
 */
export async function startScratchPod(
  client: KubeClient,
  pod: V1Pod,
  timeoutMs: number,
  pulledIsEnough = false,
): Promise<PodState> {
  const { namespace, name } = pod.metadata as { namespace: string; name: string };
  try {
    await client.createPod(pod);
  } catch (error) {
    rethrowFatal(error);
    return {
      state: 'not-started',
      reason: `could not create pod ${namespace}/${name}: ${apiMessage(error)}`,
    };
  }
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let last: V1Pod | undefined;
  for (;;) {
    last = await client.readPod(namespace, name);
    const status = last?.status?.containerStatuses?.[0];
    const waiting = status?.state?.waiting;
    if (status?.state?.running && last?.status?.phase === 'Running') {
      return { state: 'running', pod: last, ip: last.status.podIP };
    }
    if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) {
      return { state: 'pull-failed', reason: `${waiting.reason}: ${waiting.message ?? 'no message'}` };
    }
    const pulled = status?.state?.terminated || (waiting?.reason && !NOT_YET.has(waiting.reason));
    if (pulled && last) {
      if (pulledIsEnough) return { state: 'pulled', pod: last };
      return {
        state: 'not-started',
        reason: `pod ${namespace}/${name} did not keep running (${describeState(last)})`,
      };
    }
    if (!last || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
  return {
    state: 'not-started',
    reason: last
      ? `pod ${namespace}/${name} did not start within ${Math.round(timeoutMs / 1000)} s (${describeState(last)})`
      : `pod ${namespace}/${name} disappeared`,
  };
}

function describeState(pod: V1Pod): string {
  const state = pod.status?.containerStatuses?.[0]?.state;
  if (state?.waiting)
    return `${state.waiting.reason ?? 'Waiting'}${state.waiting.message ? `: ${state.waiting.message}` : ''}`;
  if (state?.terminated)
    return `exited with ${state.terminated.exitCode}${state.terminated.reason ? ` (${state.terminated.reason})` : ''}`;
  return pod.status?.phase ?? 'Pending';
}
