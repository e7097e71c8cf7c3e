import { DEFAULT_TIMING, type KubeletTiming } from './kubelet';

/**
 * How long a change takes to reach the data plane, as on a kind cluster. Everything above the
 * provider (labs, grader, terminal) is tested against this eventual consistency, so the defaults
 * are the realistic ones; `'fast'` is for unit tests of other layers that do not care.
 */
export interface PropagationDelays {
  /**
   * kube-proxy: from a Service or EndpointSlice change (selector, targetPort, a pod turning ready
   * or terminating) to the rules that carry traffic. kube-proxy in iptables mode coalesces the
   * changes of one sync; measured on kind 1.33 at 0.2–0.3 s. Default 250.
   */
  kubeProxySyncMs: number;
  /**
   * From an edit of the `coredns` ConfigMap to CoreDNS running it: the kubelet's ConfigMap volume
   * sync (up to a minute) plus the reload plugin's 30 s check. Default 45000.
   */
  corednsReloadMs: number;
  /** Pulling an image that is not on the node yet (kind preloads lab images, so short). Default 400. */
  imagePullMs: number;
  /** Creating and starting a container after its image is there. Default 100. */
  containerStartMs: number;
  /** A process that handles SIGTERM takes this long to exit; one that ignores it takes the whole grace period. Default 300. */
  sigtermExitMs: number;
}

/** The realistic delays every cluster gets unless told otherwise (what CI runs the labs with). */
export const REALISTIC_PROPAGATION: Readonly<PropagationDelays> = Object.freeze({
  kubeProxySyncMs: 250,
  corednsReloadMs: 45_000,
  imagePullMs: DEFAULT_TIMING.pullMs,
  containerStartMs: DEFAULT_TIMING.startMs,
  sigtermExitMs: DEFAULT_TIMING.stopMs,
});

/**
 * Every change applies at once (no kube-proxy lag, instant pulls/starts/stops). Grace periods of
 * processes that ignore SIGTERM and probe periods still hold: they are part of the pod's spec.
 */
export const FAST_PROPAGATION: Readonly<PropagationDelays> = Object.freeze({
  kubeProxySyncMs: 0,
  corednsReloadMs: 0,
  imagePullMs: 0,
  containerStartMs: 0,
  sigtermExitMs: 0,
});

/** `'realistic'` (default), `'fast'`, or realistic defaults with some delays overridden. */
export type PropagationSetting = 'realistic' | 'fast' | Partial<PropagationDelays>;

/** Fills a setting in; throws a RangeError naming the field for a negative or non-finite delay. */
export function resolvePropagation(setting: PropagationSetting = 'realistic'): PropagationDelays {
  if (setting === 'fast') return { ...FAST_PROPAGATION };
  if (setting === 'realistic') return { ...REALISTIC_PROPAGATION };
  const out = { ...REALISTIC_PROPAGATION, ...setting };
  const bad = Object.entries(out).filter(([, v]) => typeof v !== 'number' || !Number.isFinite(v) || v < 0);
  if (bad.length > 0) {
    throw new RangeError(
      `propagation delays must be milliseconds ≥ 0: ${bad.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`,
    );
  }
  return out;
}

/** The kubelet's step durations for these delays. */
export function kubeletTiming(delays: PropagationDelays): KubeletTiming {
  return { pullMs: delays.imagePullMs, startMs: delays.containerStartMs, stopMs: delays.sigtermExitMs };
}
