import { describe, expect, it } from 'vitest';
import { FakeProvider } from '../pool/testing/fake-provider';
import { Reaper, type ReaperOptions } from './reaper';

const NOW = new Date('2026-11-21T20:00:00Z');
const MIN = 60_000;

function providerWith(clusters: Record<string, number>): FakeProvider {
  const provider = new FakeProvider();
  for (const [name, ageMinutes] of Object.entries(clusters)) {
    provider.clusters.set(name, {
      name,
      provider: 'kind',
      createdAt: new Date(NOW.getTime() - ageMinutes * MIN),
      labels: {},
    });
  }
  return provider;
}

function newReaper(provider: FakeProvider, over: Partial<ReaperOptions> = {}): Reaper {
  return new Reaper({
    provider,
    liveClusters: () => [],
    now: () => NOW,
    ttlMs: 120 * MIN,
    idleMs: 30 * MIN,
    graceMs: 10 * MIN,
    ...over,
  });
}

describe(Reaper.name, () => {
  it.each([
    {
      why: 'no attempt and no pool owns it',
      cluster: 'netlab-x',
      age: 11,
      live: [],
      pooled: [],
      reason: 'orphaned',
    },
    {
      why: 'it is unowned but still within the grace period',
      cluster: 'netlab-x',
      age: 9,
      live: [],
      pooled: [],
      reason: undefined,
    },
    {
      why: 'the warm pool holds it',
      cluster: 'netlab-2n-cni-a',
      age: 600,
      live: [],
      pooled: ['netlab-2n-cni-a'],
      reason: undefined,
    },
    {
      why: 'a live attempt owns it within its TTL',
      cluster: 'netlab-x',
      age: 119,
      live: ['netlab-x'],
      pooled: [],
      reason: undefined,
    },
    {
      why: 'a live attempt owns it past its TTL',
      cluster: 'netlab-x',
      age: 121,
      live: ['netlab-x'],
      pooled: [],
      reason: 'ttl',
    },
  ])('should decide $reason when $why', async ({ cluster, age, live, pooled, reason }) => {
    const provider = providerWith({ [cluster]: age });
    const sut = newReaper(provider, { liveClusters: async () => live, pooledClusters: () => pooled });

    const results = await sut.sweep();

    expect(results.map((r) => r.reason)).toEqual(reason ? [reason] : []);
    expect(provider.deleted).toEqual(reason ? [cluster] : []);
  });

  it("should reap a live attempt's cluster when it has been idle longer than idleMs", async () => {
    const provider = providerWith({ 'netlab-idle': 60, 'netlab-busy': 60, 'netlab-unknown': 60 });
    const last: Record<string, Date> = {
      'netlab-idle': new Date(NOW.getTime() - 31 * MIN),
      'netlab-busy': new Date(NOW.getTime() - 1 * MIN),
    };
    const sut = newReaper(provider, {
      liveClusters: () => ['netlab-idle', 'netlab-busy', 'netlab-unknown'],
      lastActivity: (name) => last[name],
    });

    const results = await sut.sweep();

    expect(results).toEqual([{ name: 'netlab-idle', reason: 'idle', ageMs: 60 * MIN, deleted: true }]);
  });

  it('should reap nothing when the live attempts cannot be read', async () => {
    const provider = providerWith({ 'netlab-x': 500 });
    const sut = newReaper(provider, {
      liveClusters: () => {
        throw new Error('database is down');
      },
    });

    await expect(sut.sweep()).rejects.toThrow('database is down');
    expect(provider.deleted).toEqual([]);
  });

  it('should keep going and report the error when one delete fails', async () => {
    const provider = providerWith({ 'netlab-a': 60, 'netlab-b': 60 });
    const original = provider.delete.bind(provider);
    provider.delete = async (name) => {
      if (name === 'netlab-a') throw new Error('kind delete failed');
      return original(name);
    };
    const reaped: string[] = [];
    const sut = newReaper(provider, { onReaped: (r) => reaped.push(r.name) });

    const results = await sut.sweep();

    expect(results).toEqual([
      { name: 'netlab-a', reason: 'orphaned', ageMs: 60 * MIN, deleted: false, error: 'kind delete failed' },
      { name: 'netlab-b', reason: 'orphaned', ageMs: 60 * MIN, deleted: true },
    ]);
    expect(reaped).toEqual(['netlab-a', 'netlab-b']);
  });

  it('should ask the provider to prune stale ownership records after the sweep', async () => {
    const provider = providerWith({});
    const pruned: number[] = [];
    Object.assign(provider, { pruneRecords: async (ms: number) => (pruned.push(ms), []) });

    await newReaper(provider).sweep();

    expect(pruned).toEqual([10 * MIN]);
  });

  it('should share one sweep between overlapping callers and sweep at start-up', async () => {
    const provider = providerWith({ 'netlab-x': 60 });
    const sut = newReaper(provider, { intervalMs: 3_600_000 });

    const [a, b] = await Promise.all([sut.start(), sut.sweep()]);
    sut.stop();

    expect(a).toHaveLength(1);
    expect(b).toBe(a);
    expect(provider.deleted).toEqual(['netlab-x']);
  });
});
