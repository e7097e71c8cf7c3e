import type { V1Service } from '@kubernetes/client-node';
import type { ReachResult } from '@netlab/grader/netmodel';
import type { Clock } from '../runtime/clock';
import type { Random } from '../runtime/names';

/** One endpoint a Service connection can land on, with what a connection to it gets. */
export type ServiceBackendChoice = NonNullable<ReachResult['backends']>[number];

/** kube-proxy's default `sessionAffinityConfig.clientIP.timeoutSeconds` (3 hours). */
const DEFAULT_AFFINITY_SECONDS = 10_800;

/**
 * kube-proxy's choice of endpoint for each new connection to a Service: uniformly at random among
 * the ready endpoints (iptables mode's `statistic --mode random` chain), or, with
 * `sessionAffinity: ClientIP`, the endpoint this client IP last used while it is still one and the
 * affinity has not timed out (`recent --rcheck --seconds`).
 */
export class ServiceBalancer {
  private readonly affinity = new Map<string, { ip: string; port: number; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** Picks the backend of one new connection from `clientIp` to `service`. */
  pick(
    service: V1Service | undefined,
    clientIp: string,
    backends: readonly ServiceBackendChoice[],
  ): ServiceBackendChoice | undefined {
    if (backends.length <= 1) return backends[0];
    const spec = service?.spec;
    const sticky = spec?.sessionAffinity === 'ClientIP';
    const key = `${service?.metadata?.namespace ?? ''}/${service?.metadata?.name ?? ''}|${clientIp}`;
    const now = this.clock.now();
    if (sticky) {
      const held = this.affinity.get(key);
      const still =
        held && held.until > now && backends.find((b) => b.ip === held.ip && b.port === held.port);
      if (still) {
        held.until = now + this.timeoutMs(service!);
        return still;
      }
    }
    const chosen = backends[Math.floor(this.random.next() * backends.length)]!;
    if (sticky)
      this.affinity.set(key, { ip: chosen.ip, port: chosen.port, until: now + this.timeoutMs(service!) });
    return chosen;
  }

  private timeoutMs(service: V1Service): number {
    return (service.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000;
  }
}
