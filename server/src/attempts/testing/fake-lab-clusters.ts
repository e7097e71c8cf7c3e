import type { GradeReport } from '@netlab/grader';
import type { ClusterHandle, ClusterLostEvent, ClusterSpec } from '@netlab/infra';
import type { LoadedLab } from '@netlab/labs';
import type { LabWatchListener } from '../../clusters/cluster-watch';
import type { LabClusterGateway } from '../../clusters/lab-clusters';
import type { NetMap } from '../../clusters/net-map.reader';
import { TOOLBOX } from '../../clusters/toolbox';

/** A strict fake of the cluster gateway: records every call; clusters are names in a set. */
export class FakeLabClusters implements LabClusterGateway {
  readonly providerKind = 'sim' as const;
  readonly calls: string[] = [];
  readonly names = new Set<string>();
  readonly watchers = new Map<string, LabWatchListener>();
  /** What the next grades report (pass/fail per check id). */
  verdicts: Record<string, 'pass' | 'fail'> = {};
  failOn: string | undefined;
  /** What the failing step throws (default a plain Error). */
  failWith: Error | undefined;
  private lost: ((e: ClusterLostEvent) => void)[] = [];

  specFor(_lab: LoadedLab, name: string, labels: Record<string, string>): ClusterSpec {
    return { name, nodes: 2, cni: true, networkPolicy: true, labels };
  }

  async acquire(spec: ClusterSpec): Promise<ClusterHandle> {
    this.step(`acquire ${spec.name}`);
    this.names.add(spec.name);
    return {
      name: spec.name,
      provider: 'sim',
      kubeconfig: `kubeconfig-of-${spec.name}`,
      createdAt: new Date(),
      spec,
    };
  }

  async delete(name: string): Promise<void> {
    this.calls.push(`delete ${name}`);
    this.names.delete(name);
  }

  /** Clusters kept from the reapers by `hold`. */
  readonly held = new Set<string>();

  async existing(): Promise<Set<string>> {
    return new Set(this.names);
  }

  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  hold(name: string): () => void {
    this.calls.push(`hold ${name}`);
    this.held.add(name);
    return () => {
      this.calls.push(`unhold ${name}`);
      this.held.delete(name);
    };
  }

  async applySetup(kubeconfig: string): Promise<void> {
    this.step(`setup ${kubeconfig}`);
  }

  async applyFault(kubeconfig: string): Promise<void> {
    this.step(`fault ${kubeconfig}`);
  }

  async ensureToolbox(kubeconfig: string) {
    this.step(`toolbox ${kubeconfig}`);
    return TOOLBOX;
  }

  async grade(kubeconfig: string, lab: LoadedLab): Promise<GradeReport> {
    this.calls.push(`grade ${kubeconfig}`);
    const checks = lab.definition.checks.map((c) => ({
      id: c.id,
      title: c.title,
      type: c.type,
      status: this.verdicts[c.id] ?? 'fail',
      evidence: `observed ${c.id}`,
      ...(this.verdicts[c.id] === 'pass' ? {} : { diagnosis: `why ${c.id} fails` }),
      durationMs: 1,
      attempts: 1,
    }));
    return {
      labId: lab.definition.id,
      seed: lab.seed,
      passed: checks.every((c) => c.status === 'pass'),
      checks,
      startedAt: new Date(),
      durationMs: 5,
    } as GradeReport;
  }

  async release(kubeconfig: string): Promise<void> {
    this.calls.push(`release ${kubeconfig}`);
  }

  watch(kubeconfig: string, _lab: LoadedLab, listener: LabWatchListener) {
    this.calls.push(`watch ${kubeconfig}`);
    this.watchers.set(kubeconfig, listener);
    return () => {
      this.calls.push(`unwatch ${kubeconfig}`);
      this.watchers.delete(kubeconfig);
    };
  }

  async netMap(): Promise<NetMap> {
    return { namespaces: [], nodes: [], services: [], policies: [] };
  }

  onClusterLost(listener: (e: ClusterLostEvent) => void) {
    this.lost.push(listener);
    return () => (this.lost = this.lost.filter((l) => l !== listener));
  }

  /** Simulates a sim host dying with the cluster. */
  loseCluster(name: string, reason: string): void {
    this.names.delete(name);
    for (const l of this.lost) l({ name, reason });
  }

  private step(call: string) {
    this.calls.push(call);
    if (this.failOn && call.startsWith(this.failOn))
      throw this.failWith ?? new Error(`${this.failOn} exploded`);
  }
}
