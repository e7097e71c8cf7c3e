import { createHash } from 'node:crypto';
import type { V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { parseImage } from '../apps/app-model';
import type { SimContext } from './context';
import { isoSeconds } from './names';
import type { ContainerRun, PodRun, TerminatedState } from './pod-run';

function terminatedJson(t: TerminatedState) {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    startedAt: isoSeconds(t.startedAt),
    finishedAt: isoSeconds(t.finishedAt),
    containerID: t.containerID,
  };
}

function imageId(image: string): string {
  const ref = parseImage(image);
  return `${ref.registry}/${ref.repository}@sha256:${createHash('sha256').update(ref.full).digest('hex')}`;
}

function containerStatus(
  spec: { name: string; image?: string },
  c: ContainerRun | undefined,
): V1ContainerStatus {
  const image = parseImage(spec.image ?? '').full;
  const status: Record<string, unknown> = {
    name: spec.name,
    image,
    imageID: '',
    ready: false,
    restartCount: 0,
    started: false,
  };
  if (!c) return { ...status, state: { waiting: { reason: 'PodInitializing' } }, lastState: {} } as never;
  status.restartCount = c.restartCount;
  status.ready = c.ready && c.state === 'running';
  status.started = c.state === 'running' && c.started;
  status.lastState = c.lastTerminated ? { terminated: terminatedJson(c.lastTerminated) } : {};
  if (c.containerID) {
    status.containerID = c.containerID;
    status.imageID = imageId(spec.image ?? '');
  }
  if (c.state === 'running') status.state = { running: { startedAt: isoSeconds(c.startedAt) } };
  else if (c.state === 'terminated' && c.terminated)
    status.state = { terminated: terminatedJson(c.terminated) };
  else
    status.state = {
      waiting: { reason: c.waiting.reason, ...(c.waiting.message ? { message: c.waiting.message } : {}) },
    };
  return status as never;
}

/** The pod status the kubelet reports for a run: phase, conditions, IPs and container statuses. */
export function buildPodStatus(
  pod: V1Pod,
  run: PodRun,
  hostIp: string,
  ctx: SimContext,
): Record<string, unknown> {
  const now = isoSeconds(ctx.clock.now());
  const specs = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  const runs = specs.map((s) => run.containers.get(s.name));
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const finished = runs.every(
    (c) => c?.state === 'terminated' && c.terminated && !willRestart(policy, c.terminated.exitCode),
  );
  const initFailed = inits.some((s) => {
    const c = run.containers.get(s.name);
    return c?.state === 'terminated' && c.terminated && c.terminated.exitCode !== 0 && policy === 'Never';
  });
  let phase = 'Pending';
  if (initFailed) phase = 'Failed';
  else if (run.initDone && runs.length > 0 && finished)
    phase = runs.every((c) => c!.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed';
  else if (
    run.initDone &&
    runs.some((c) => c && (c.state === 'running' || c.restartCount > 0 || c.terminated || c.lastTerminated))
  )
    phase = 'Running';

  const notReady = specs
    .filter((s, i) => !(runs[i]?.ready && runs[i]?.state === 'running'))
    .map((s) => s.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const prev = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
  const cond = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => {
    const p = prev.get(type);
    const status = ok ? 'True' : 'False';
    return {
      type,
      status,
      lastProbeTime: null as never,
      lastTransitionTime: (p?.status === status ? p.lastTransitionTime : now) as never,
      ...(ok || !reason ? {} : { reason }),
      ...(ok || !message ? {} : { message }),
    };
  };
  const incompleteInits = inits
    .filter((s) => run.containers.get(s.name)?.terminated?.exitCode !== 0)
    .map((s) => s.name);
  const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = completed ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  const conditions: V1PodCondition[] = [];
  if (ctx.options.minor >= 29)
    conditions.push(cond('PodReadyToStartContainers', run.sandbox === 'ready' && !completed));
  conditions.push(
    run.initDone || inits.length === 0
      ? cond('Initialized', true)
      : cond(
          'Initialized',
          false,
          'ContainersNotInitialized',
          `containers with incomplete status: [${incompleteInits.join(' ')}]`,
        ),
    cond('Ready', notReady.length === 0 && !completed, readyReason, readyMessage),
    cond('ContainersReady', notReady.length === 0 && !completed, readyReason, readyMessage),
    prev.get('PodScheduled') ?? cond('PodScheduled', true),
  );
  const status: Record<string, unknown> = {
    phase,
    conditions,
    hostIP: hostIp,
    hostIPs: [{ ip: hostIp }],
  };
  if (run.sandbox === 'ready' && run.ip) {
    status.podIP = run.ip;
    status.podIPs = [{ ip: run.ip }];
  }
  if (run.startTime) status.startTime = isoSeconds(run.startTime);
  if (inits.length > 0) {
    status.initContainerStatuses = inits.map((s) => {
      const c = run.containers.get(s.name);
      const st = containerStatus(s, c) as unknown as Record<string, unknown>;
      if (
        c &&
        c.state === 'waiting' &&
        c.waiting.reason === 'ContainerCreating' &&
        !c.containerID &&
        !run.initDone &&
        s !== inits.find((i) => run.containers.get(i.name)?.terminated?.exitCode !== 0)
      ) {
        st.state = { waiting: { reason: 'PodInitializing' } };
      }
      return st;
    });
  }
  status.containerStatuses = specs.map((s, i) => {
    const st = containerStatus(s, runs[i]) as unknown as Record<string, unknown>;
    if (!run.initDone && runs[i]?.state === 'waiting') st.state = { waiting: { reason: 'PodInitializing' } };
    return st;
  });
  const ephemeral = pod.spec?.ephemeralContainers ?? [];
  if (ephemeral.length > 0) {
    status.ephemeralContainerStatuses = ephemeral.map((s) => containerStatus(s, run.containers.get(s.name)));
  }
  status.qosClass = pod.status?.qosClass ?? 'BestEffort';
  return status;
}

function willRestart(policy: string, exitCode: number): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}
