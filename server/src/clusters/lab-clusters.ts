import { KubeConfig } from '@kubernetes/client-node';
import {
  applyActions,
  DEFAULT_PROBE_IMAGE,
  GradeSession,
  labNamespaces,
  mapImage,
  type GradeReport,
} from '@netlab/grader';
import {
  EXTERNAL_CLUSTER_LABEL,
  profileOf,
  type ClusterHandle,
  type ClusterLostEvent,
  type ClusterProvider,
  type ClusterSpec,
  type ProviderKind,
  type WarmPool,
} from '@netlab/infra';
import type { LoadedLab } from '@netlab/labs';
import { timingFor } from '../cli/lab-test/provider-choice';
import { ClusterClients } from './cluster-clients';
import { watchLabNamespaces, type LabWatchListener, type StopWatch } from './cluster-watch';
import { labClusterNeeds, type LabTiming } from './lab-actions';
import { applyLabActionsInParallel } from './parallel-apply';
import { readNetMap, type NetMap } from './net-map.reader';
import { ensureToolbox, type ToolboxRef } from './toolbox';

/**
 * Everything the attempts layer does to clusters, behind one small interface (the attempts'
 * "repository" of infra and grader), so its services are tested with a strict fake.
 */
export interface LabClusterGateway {
  readonly providerKind: ProviderKind;
  /** The cluster spec for an attempt's lab. */
  specFor(lab: LoadedLab, name: string, labels: Record<string, string>): ClusterSpec;
  /** A warm pool cluster when one fits, otherwise a new one. */
  acquire(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle>;
  delete(name: string): Promise<void>;
  /** Names of the clusters that exist now (the warm pool's own excluded). */
  existing(): Promise<Set<string>>;
  /** Marks a cluster as kept outside any attempt (no reaper takes it) until the returned function is called. */
  hold(name: string): () => void;
  /**
   * A cluster no reaper may take although no live attempt records it: held (`hold`), or handed out
   * by the warm pool lately (its attempt may not have recorded it yet).
   */
  isHeld(name: string): boolean;
  applySetup(kubeconfig: string, lab: LoadedLab, clusterName: string): Promise<void>;
  applyFault(kubeconfig: string, lab: LoadedLab, clusterName: string): Promise<void>;
  ensureToolbox(kubeconfig: string, signal?: AbortSignal): Promise<ToolboxRef>;
  /** Grades on a session kept per cluster (probe pods stay between grades) until `release`. */
  grade(kubeconfig: string, lab: LoadedLab): Promise<GradeReport>;
  /** Drops the cluster's grade session (its probe pods) and cached client. */
  release(kubeconfig: string): Promise<void>;
  watch(kubeconfig: string, lab: LoadedLab, listener: LabWatchListener): StopWatch;
  netMap(kubeconfig: string, lab: LoadedLab): Promise<NetMap>;
  onClusterLost(listener: (event: ClusterLostEvent) => void): () => void;
}
/** How long a claimed pool cluster is safe from the reapers (its attempt records it within ms). */
const CLAIM_GRACE_MS = 120_000;

/** Nest injection token of the {@link LabClusterGateway}. */
export const LAB_CLUSTERS = Symbol('LabClusterGateway');

/** The gateway over a real provider (and its warm pool, when NETLAB_POOL is set). */
export class LabClusters implements LabClusterGateway {
  readonly providerKind: ProviderKind;
  private readonly timing: LabTiming;
  private readonly connected = new Map<string, ClusterClients>();
  private readonly sessions = new Map<string, GradeSession>();
  /** Pool clusters handed out lately: safe from the reapers until their attempt has surely recorded them. */
  private readonly claimed = new Map<string, number>();
  /** Clusters kept for later outside any attempt (the ready pool's), by how many holds. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly provider: ClusterProvider,
    private readonly pool?: WarmPool,
    timing?: Partial<LabTiming>,
  ) {
    this.providerKind = provider.kind;
    // Verdicts must hold a little longer than the data plane's propagation delay, or a grade right
    // after a fix could report the state before it and no further change would correct it.
    this.timing = {
      ...timingFor(provider.kind),
      stableForMs: provider.kind === 'sim' ? 500 : 2000,
      ...timing,
    };
  }

  specFor(lab: LoadedLab, name: string, labels: Record<string, string>): ClusterSpec {
    return { name, ...labClusterNeeds(lab), labels };
  }

  async acquire(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle> {
    // A warm cluster was made without the lab's own images, so such a lab gets a cluster of its own.
    const warm = spec.images?.length ? undefined : this.pool?.claim(profileOf(spec));
    if (warm) {
      this.claimed.set(warm.name, Date.now());
      return warm;
    }
    return this.provider.create(spec, signal);
  }

  async delete(name: string): Promise<void> {
    await this.provider.delete(name);
  }

  async existing(): Promise<Set<string>> {
    const pooled = this.pool?.names() ?? new Set<string>();
    return new Set((await this.provider.list()).map((c) => c.name).filter((n) => !pooled.has(n)));
  }

  isHeld(name: string): boolean {
    for (const [claimed, at] of this.claimed)
      if (Date.now() - at > CLAIM_GRACE_MS) this.claimed.delete(claimed);
    return this.held.has(name) || this.claimed.has(name);
  }

  hold(name: string): () => void {
    this.held.set(name, (this.held.get(name) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(name) ?? 1) - 1;
      if (left > 0) this.held.set(name, left);
      else this.held.delete(name);
    };
  }

  // Neither step waits for the cluster to settle: the fault only needs the setup's objects to
  // exist, and the learner gets the cluster as soon as everything is applied, like a real one right
  // after `kubectl apply` (Pods still starting). Live checks grade again as the Pods come up, and a
  // verdict must hold for `stableForMs` first, so a check never passes on a half-started state.
  async applySetup(kubeconfig: string, lab: LoadedLab, clusterName: string): Promise<void> {
    const { kc, objects } = this.clients(kubeconfig);
    await applyLabActionsInParallel(kc, lab, lab.definition.setup, clusterName, this.timing, objects);
  }

  async applyFault(kubeconfig: string, lab: LoadedLab, clusterName: string): Promise<void> {
    if (!lab.definition.fault.actions.length) return;
    const { kc, objects } = this.clients(kubeconfig);
    // In order: a fault's actions may build on each other (delete, then re-apply).
    await applyActions(kc, lab, lab.definition.fault.actions, {
      imageMap: this.timing.imageMap,
      namespaceLabels: { [EXTERNAL_CLUSTER_LABEL]: clusterName },
      api: objects,
    });
  }

  ensureToolbox(kubeconfig: string, signal?: AbortSignal): Promise<ToolboxRef> {
    return ensureToolbox(this.clients(kubeconfig), { timeoutMs: this.timing.probeStartTimeoutMs, signal });
  }

  grade(kubeconfig: string, lab: LoadedLab): Promise<GradeReport> {
    let session = this.sessions.get(kubeconfig);
    if (!session) {
      const { kc, kube } = this.clients(kubeconfig);
      session = new GradeSession(kc, lab, {
        client: kube,
        probeImage: mapImage(DEFAULT_PROBE_IMAGE, this.timing.imageMap),
        retryDelayMs: this.timing.retryDelayMs,
        probeStartTimeoutMs: this.timing.probeStartTimeoutMs,
        connectTimeoutMs: this.timing.connectTimeoutMs,
        stableForMs: this.timing.stableForMs,
      });
      this.sessions.set(kubeconfig, session);
    }
    return session.grade();
  }

  async release(kubeconfig: string): Promise<void> {
    const session = this.sessions.get(kubeconfig);
    const clients = this.connected.get(kubeconfig);
    this.sessions.delete(kubeconfig);
    this.connected.delete(kubeconfig);
    await session?.dispose().catch(() => undefined);
    clients?.dispose();
  }

  watch(kubeconfig: string, lab: LoadedLab, listener: LabWatchListener): StopWatch {
    return watchLabNamespaces(this.clients(kubeconfig), labNamespaces(lab), listener);
  }

  netMap(kubeconfig: string, lab: LoadedLab): Promise<NetMap> {
    return readNetMap(this.clients(kubeconfig), labNamespaces(lab));
  }

  onClusterLost(listener: (event: ClusterLostEvent) => void): () => void {
    return this.provider.onClusterLost?.(listener) ?? (() => undefined);
  }

  /** One set of clients (one keep-alive connection) per kubeconfig text, until `release`. */
  private clients(kubeconfig: string): ClusterClients {
    let clients = this.connected.get(kubeconfig);
    if (!clients) {
      const kc = new KubeConfig();
      kc.loadFromString(kubeconfig);
      clients = new ClusterClients(kc);
      this.connected.set(kubeconfig, clients);
    }
    return clients;
  }
}
