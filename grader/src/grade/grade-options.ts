import type { ScriptRunner } from '../checks/script-runner';
import type { KubeClient } from '../kube/kube-client';

/** How a grade runs. Every field has a default that suits a real cluster. */
export interface GradeOptions {
  /** Only these checks (by id); default all. */
  checkIds?: string[];
  /** Image of the probe pods (default nicolaka/netshoot), e.g. rewritten by an image map. */
  probeImage?: string;
  /** Probe from a lab pod that already has the source's identity and a debugging image (default true). */
  reuseSourcePods?: boolean;
  /** How long a probe pod may take to start (default 60 s: a first image pull). */
  probeStartTimeoutMs?: number;
  /** How long a probe waits for a TCP handshake or a DNS answer before calling it dropped (default 1 s). */
  connectTimeoutMs?: number;
  /** Pause between retries of a failing check (default 1 s). */
  retryDelayMs?: number;
  /**
   * Report a check's verdict only once it has held, observation after observation, for this long
   * (ms; default 0: the first verdict). Changes reach the data plane a moment after the API accepts
   * them (kube-proxy syncs its rules ~0.2–1 s later), so a grade run right after a change can see the
   * state before it; a verdict that held for a window longer than that delay is the state the
   * cluster is in. Use {@link RECOMMENDED_STABLE_FOR_MS} for learners' checks on real clusters.
   */
  stableForMs?: number;
  /** With `stableForMs`: report a verdict that never held that long after this many ms as `unstable` (default max(10 s, 5 × stableForMs)). */
  stableTimeoutMs?: number;
  /** The cluster client; default one built from the KubeConfig (tests pass a fake). */
  client?: KubeClient;
  /** Where `script` checks run; default a local shell with KUBECONFIG set to the cluster. */
  scripts?: ScriptRunner;
}

/**
 * A stability window that outlasts kube-proxy's sync on real clusters (iptables and IPVS modes sync
 * at most once a second by default) and the sim's modelled propagation delay.
 */
export const RECOMMENDED_STABLE_FOR_MS = 2000;
