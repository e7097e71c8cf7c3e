import { randomBytes } from 'node:crypto';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { Source } from '@netlab/labs';
import type { KubeClient } from '../kube/kube-client';
import { apiMessage, rethrowFatal } from '../kube/kube-errors';

/** The label every probe pod carries, so tools and the learner can tell it apart. */
export const PROBE_LABEL = 'netlab.dev/probe';

/** The image probes run by default: it has curl, nc and nslookup, and the sim models it. */
export const DEFAULT_PROBE_IMAGE = 'nicolaka/netshoot:v0.13';

/** How probe pods are made. */
export interface ProbeOptions {
  image: string;
  /** How long a probe pod may take to start (image pull on a real cluster). */
  startTimeoutMs: number;
  /**
   * Probe from a running pod of the lab that already has the source's identity and a debugging
   * image (netshoot, busybox) instead of starting a probe pod (default true): faster, and it leaves
   * nothing behind at all.
   */
  reuseSourcePods?: boolean;
}

/** Images whose containers have curl/wget, nc and nslookup (and that the sim models). */
const TOOL_IMAGES = /(^|\/)(netshoot|busybox)(:|@|$)/;

/** A running probe pod with the identity of a source, or why there is none. */
export type Probe =
  | { ok: true; namespace: string; pod: string; container: string; ip?: string; notes: string[] }
  | { ok: false; reason: string; notes: string[] };

const CONTAINER = 'probe';

/**
 * Probe pods, one per source identity (namespace + labels), created on first use and shared by
 * every check of one grade. They carry the source's labels, so Services and NetworkPolicies treat
 * them as that source; a readiness probe that always fails keeps them out of every Service's
 * endpoints; `activeDeadlineSeconds` ends them even if the grader dies before {@link dispose}.
 */
export class ProbePool {
  private readonly probes = new Map<string, Promise<Probe>>();
  private readonly created: { namespace: string; name: string }[] = [];
  private readonly stale = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly options: ProbeOptions,
  ) {}

  /** The probe for `source`, starting it if needed. Never throws for a broken cluster. */
  get(source: Source): Promise<Probe> {
    const key = `${source.namespace}/${JSON.stringify(Object.entries(source.labels).sort())}`;
    let probe = this.probes.get(key);
    if (!probe) {
      probe = this.reuse(source).then(async (found) => {
        const got = found ?? (await this.start(source));
        if (found || !got.ok) this.stale.add(key);
        return got;
      });
      this.probes.set(key, probe);
    }
    return probe;
  }

  /**
   * Forgets the lab pods probes were borrowed from (they may have been replaced since) and the
   * probes that could not start (the cluster may have healed), so the next {@link get} tries
   * again; running probe pods this pool started are kept until {@link dispose}.
   */
  refresh(): void {
    for (const key of this.stale) this.probes.delete(key);
    this.stale.clear();
  }

  /** Deletes every probe pod this pool made. */
  async dispose(): Promise<void> {
    await Promise.all(
      this.created.map((p) => this.client.deletePod(p.namespace, p.name).catch(() => undefined)),
    );
    this.created.length = 0;
    this.probes.clear();
    this.stale.clear();
  }

  /** A running pod with the source's labels and a debugging image, if the lab has one. */
  private async reuse(source: Source): Promise<Probe | undefined> {
    if (this.options.reuseSourcePods === false) return undefined;
    const selector = Object.entries(source.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (!selector) return undefined;
    const pods = await this.client.listPods(source.namespace, selector).catch((error: unknown) => {
      rethrowFatal(error);
      return [];
    });
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp || pod.metadata?.labels?.[PROBE_LABEL]) continue;
      if (pod.status?.phase !== 'Running' || !pod.status.podIP || pod.spec?.hostNetwork) continue;
      const container = pod.spec?.containers.find(
        (c) =>
          TOOL_IMAGES.test(c.image ?? '') &&
          pod.status?.containerStatuses?.some((s) => s.name === c.name && s.state?.running),
      );
      if (!container) continue;
      const name = pod.metadata!.name!;
      return {
        ok: true,
        namespace: source.namespace,
        pod: name,
        container: container.name,
        ip: pod.status.podIP,
        notes: [`from pod ${source.namespace}/${name}`],
      };
    }
    return undefined;
  }

  private async start(source: Source): Promise<Probe> {
    const notes: string[] = [];
    const name = `netlab-probe-${randomBytes(3).toString('hex')}`;
    try {
      const nodes = await this.client.listNodes();
      if (!nodes.some((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))) {
        // Nothing can start a pod (no CNI, kubelets down): do not leave a Pending probe behind.
        return { ok: false, reason: 'no probe pod could start: no node is Ready', notes };
      }
      notes.push(...selectingServices(await this.client.listServices(source.namespace), source));
      await this.client.createPod(probePod(name, source, this.options.image));
      this.created.push({ namespace: source.namespace, name });
    } catch (error) {
      rethrowFatal(error);
      return {
        ok: false,
        reason: `could not create a probe pod in namespace ${source.namespace}: ${apiMessage(error)}`,
        notes,
      };
    }
    return this.waitRunning(source.namespace, name, notes);
  }

  private async waitRunning(namespace: string, name: string, notes: string[]): Promise<Probe> {
    const deadline = Date.now() + this.options.startTimeoutMs;
    let delay = 10;
    let pod: V1Pod | undefined;
    for (;;) {
      pod = await this.client.readPod(namespace, name);
      const running = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.running;
      if (pod?.status?.phase === 'Running' && running) {
        return { ok: true, namespace, pod: name, container: CONTAINER, ip: pod.status.podIP, notes };
      }
      if (
        !pod ||
        pod.status?.phase === 'Failed' ||
        pod.status?.phase === 'Succeeded' ||
        Date.now() >= deadline
      )
        break;
      await sleep(delay);
      delay = Math.min(delay * 2, 250);
    }
    return { ok: false, reason: await this.whyNotRunning(namespace, name, pod), notes };
  }

  private async whyNotRunning(namespace: string, name: string, pod: V1Pod | undefined): Promise<string> {
    if (!pod) return `the probe pod ${namespace}/${name} disappeared before it started`;
    const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
    const state = waiting?.reason ?? pod.status?.phase ?? 'Pending';
    const events = await this.client.listEvents(namespace, `involvedObject.name=${name}`).catch(() => []);
    const warning = events.filter((e) => e.type === 'Warning').at(-1);
    const why = warning
      ? `: ${warning.reason}: ${warning.message}`
      : waiting?.message
        ? `: ${waiting.message}`
        : '';
    return `the probe pod ${namespace}/${name} did not start within ${Math.round(this.options.startTimeoutMs / 1000)}s (${state}${why})`;
  }
}

/** A pod with the source's identity that does nothing but wait for exec. */
export function probePod(name: string, source: Source, image: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: source.namespace,
      labels: { ...source.labels, [PROBE_LABEL]: 'true' },
      annotations: { 'netlab.dev/purpose': 'grader probe; deleted when the grade ends' },
    },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: 300,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [
        {
          name: CONTAINER,
          image,
          command: ['sleep', '300'],
          readinessProbe: { exec: { command: ['false'] }, periodSeconds: 300 },
        },
      ],
    },
  };
}

/** Notes for Services whose selector matches the probe's labels (it stays unready, so it never serves). */
export function selectingServices(services: V1Service[], source: Source): string[] {
  return services
    .filter((s) => {
      const selector = s.spec?.selector;
      return (
        selector &&
        Object.keys(selector).length > 0 &&
        Object.entries(selector).every(([k, v]) => source.labels[k] === v)
      );
    })
    .map(
      (s) =>
        `note: Service ${s.metadata?.namespace}/${s.metadata?.name} selects the probe's labels; the probe is never Ready, so it is never one of its endpoints`,
    );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
