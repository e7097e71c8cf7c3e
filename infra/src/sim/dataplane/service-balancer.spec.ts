import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock';
import { Random } from '../runtime/names';
import { ServiceBalancer, type ServiceBackendChoice } from './service-balancer';

const backends: ServiceBackendChoice[] = ['a', 'b', 'c', 'd'].map((pod, i) => ({
  namespace: 'default',
  pod,
  ip: `10.244.1.${i + 2}`,
  port: 80,
  verdict: pod === 'd' ? 'refused' : 'connected',
}));

function aService(affinity?: { timeoutSeconds?: number }): V1Service {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      ...(affinity
        ? {
            sessionAffinity: 'ClientIP',
            ...(affinity.timeoutSeconds ? { sessionAffinityConfig: { clientIP: affinity } } : {}),
          }
        : { sessionAffinity: 'None' }),
    },
  };
}

function counts(picks: Array<ServiceBackendChoice | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of picks) out[p!.pod] = (out[p!.pod] ?? 0) + 1;
  return out;
}

describe(ServiceBalancer.name, () => {
  it('should spread new connections over every endpoint when there is no affinity', () => {
    const sut = new ServiceBalancer(new ManualClock(), new Random('seed'));
    const picks = Array.from({ length: 400 }, () => sut.pick(aService(), '10.244.2.9', backends));
    const seen = counts(picks);
    expect(Object.keys(seen).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(50);
  });

  it('should let one broken endpoint of four fail about one connection in four', () => {
    const sut = new ServiceBalancer(new ManualClock(), new Random(7));
    const picks = Array.from({ length: 400 }, () => sut.pick(aService(), '10.244.2.9', backends));
    const failed = picks.filter((p) => p!.verdict !== 'connected').length;
    expect(failed).toBeGreaterThan(50);
    expect(failed).toBeLessThan(150);
  });

  it('should keep one client on one endpoint when sessionAffinity is ClientIP', () => {
    const sut = new ServiceBalancer(new ManualClock(), new Random('seed'));
    const svc = aService({});
    const mine = new Set(Array.from({ length: 50 }, () => sut.pick(svc, '10.244.2.9', backends)!.pod));
    expect(mine.size).toBe(1);
    const others = new Set(
      Array.from({ length: 50 }, (_, i) => sut.pick(svc, `10.244.3.${i}`, backends)!.pod),
    );
    expect(others.size).toBeGreaterThan(1);
  });

  it('should pick again when the sticky endpoint is gone or the affinity timed out', () => {
    const clock = new ManualClock();
    const sut = new ServiceBalancer(clock, new Random('seed'));
    const svc = aService({ timeoutSeconds: 60 });
    const first = sut.pick(svc, '10.244.2.9', backends)!;
    const without = backends.filter((b) => b.pod !== first.pod);
    expect(sut.pick(svc, '10.244.2.9', without)!.pod).not.toBe(first.pod);
    const now = sut.pick(svc, '10.244.2.9', without)!;
    clock.set(clock.now() + 59_000);
    expect(sut.pick(svc, '10.244.2.9', without)!.pod).toBe(now.pod);
    clock.set(clock.now() + 61_000);
    const after = new Set(Array.from({ length: 30 }, () => sut.pick(aService(), '10.244.2.9', without)!.pod));
    expect(after.size).toBeGreaterThan(1);
  });

  it('should return the only endpoint when there is one, and nothing when there is none', () => {
    const sut = new ServiceBalancer(new ManualClock(), new Random('seed'));
    expect(sut.pick(aService(), '10.244.2.9', [backends[0]!])).toBe(backends[0]);
    expect(sut.pick(aService(), '10.244.2.9', [])).toBeUndefined();
  });
});
