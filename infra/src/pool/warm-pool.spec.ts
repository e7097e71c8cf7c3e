import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { POOL_LABEL, parseProfileKey, profileKey } from './cluster-profile';
import { FakeProvider } from './testing/fake-provider';
import { WarmPool, type PoolEvent, type WarmPoolOptions } from './warm-pool';

const TWO_CNI = { nodes: 2, cni: true };
const ONE_NOCNI = { nodes: 1, cni: false };

function newPool(provider: FakeProvider, over: Partial<WarmPoolOptions> = {}) {
  let n = 0;
  const events: PoolEvent[] = [];
  const sut = new WarmPool({
    provider,
    targets: [{ profile: TWO_CNI, size: 2 }],
    newName: (p) => `netlab-${profileKey(p)}-${++n}`,
    onEvent: (e) => events.push(e),
    retryDelayMs: 1,
    ...over,
  });
  return { sut, events };
}

/** Lets queued promise callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(WarmPool.name, () => {
  it('should create clusters one at a time until the target is met when concurrency is the default 1', async () => {
    const provider = new FakeProvider();
    const { sut } = newPool(provider);

    await sut.start();
    expect(provider.pending.map((p) => p.spec)).toEqual([
      {
        name: 'netlab-2n-cni-1',
        nodes: 2,
        cni: true,
        networkPolicy: true,
        labels: { [POOL_LABEL]: '2n-cni' },
      },
    ]);
    provider.next().succeed();
    await flush();
    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-2n-cni-2']);
    provider.next().succeed();
    await sut.settled();

    expect(provider.maxConcurrent).toBe(1);
    expect(sut.status()).toEqual([{ profile: '2n-cni', target: 2, warm: 2, creating: 0, failuresInARow: 0 }]);
  });

  it('should run up to `concurrency` creates at once, spread over the profiles furthest below target', async () => {
    const provider = new FakeProvider();
    const { sut } = newPool(provider, {
      concurrency: 2,
      targets: [
        { profile: TWO_CNI, size: 3 },
        { profile: ONE_NOCNI, size: 1 },
      ],
    });

    await sut.start();

    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-2n-cni-1', 'netlab-2n-cni-2']);
    provider.next().succeed();
    await flush();
    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-2n-cni-2', 'netlab-2n-cni-3']);
    provider.next().succeed();
    provider.next().succeed();
    await flush();
    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-1n-nocni-4']);
    expect(provider.maxConcurrent).toBe(2);
  });

  it('should hand out the oldest warm cluster and start a replacement when a cluster is claimed', async () => {
    const provider = new FakeProvider();
    provider.autoCreate = true;
    const { sut, events } = newPool(provider);
    await sut.start();
    await sut.settled();

    const handle = sut.claim(TWO_CNI);
    await sut.settled();

    expect(handle?.name).toBe('netlab-2n-cni-1');
    expect(handle?.kubeconfig).toBe('kubeconfig of netlab-2n-cni-1');
    expect(events.filter((e) => e.type === 'claimed')).toEqual([
      { type: 'claimed', profile: '2n-cni', name: 'netlab-2n-cni-1' },
    ]);
    expect(provider.created).toEqual(['netlab-2n-cni-1', 'netlab-2n-cni-2', 'netlab-2n-cni-3']);
    expect(sut.status()[0]?.warm).toBe(2);
  });

  it('should return undefined when no cluster of the profile is warm or the profile is not pooled', async () => {
    const provider = new FakeProvider();
    const { sut } = newPool(provider);
    await sut.start();

    expect(sut.claim(TWO_CNI)).toBeUndefined();
    expect(sut.claim(ONE_NOCNI)).toBeUndefined();
    await sut.stop();
  });

  it('should back off after a failed create, record the error, and succeed on the retry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const provider = new FakeProvider();
    provider.autoCreate = true;
    provider.failNext = 2;
    const { sut, events } = newPool(provider, { targets: [{ profile: TWO_CNI, size: 1 }], retryDelayMs: 5 });

    await sut.start();
    await flush();
    expect(sut.status()[0]).toMatchObject({ warm: 0, failuresInARow: 1, lastError: 'kind create failed' });
    await vi.advanceTimersByTimeAsync(5);
    expect(sut.status()[0]).toMatchObject({ warm: 0, failuresInARow: 2 });
    await vi.advanceTimersByTimeAsync(10);
    await sut.settled();

    const failures = events.filter((e) => e.type === 'create-failed');
    expect(failures.map((e) => (e.type === 'create-failed' ? e.retryInMs : 0))).toEqual([5, 10]);
    expect(sut.status()[0]).toEqual({
      profile: '2n-cni',
      target: 1,
      warm: 1,
      creating: 0,
      failuresInARow: 0,
    });
  });

  it('should report warm and creating clusters as its own so the reaper leaves them alone', async () => {
    const provider = new FakeProvider();
    const { sut } = newPool(provider);
    await sut.start();
    provider.next().succeed();
    await flush();

    expect(sut.names()).toEqual(new Set(['netlab-2n-cni-1', 'netlab-2n-cni-2']));
  });

  it('should adopt pool-labelled clusters left by a previous run except those live attempts own', async () => {
    const provider = new FakeProvider();
    for (const name of ['netlab-2n-cni-old1', 'netlab-2n-cni-old2', 'netlab-9n-cni-x']) {
      const profile = name.split('-').slice(1, 3).join('-');
      provider.clusters.set(name, {
        name,
        provider: 'kind',
        createdAt: new Date(0),
        labels: { [POOL_LABEL]: profile },
      });
    }
    provider.clusters.set('netlab-attempt-1', {
      name: 'netlab-attempt-1',
      provider: 'kind',
      createdAt: new Date(0),
      labels: {},
    });
    const { sut, events } = newPool(provider);

    await sut.start(() => ['netlab-2n-cni-old2']);

    expect(events.filter((e) => e.type === 'adopted').map((e) => e.name)).toEqual(['netlab-2n-cni-old1']);
    expect(sut.claim(TWO_CNI)?.name).toBe('netlab-2n-cni-old1');
    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-2n-cni-1']);
  });

  it('should still fill the pool when the clusters left by a previous run cannot be listed', async () => {
    const provider = new FakeProvider();
    provider.list = async () => {
      throw new Error('Cannot connect to the Docker daemon');
    };
    const { sut, events } = newPool(provider);

    await sut.start();

    expect(events).toEqual([
      { type: 'adopt-failed', error: new Error('Cannot connect to the Docker daemon') },
    ]);
    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-2n-cni-1']);
  });

  it('should cancel creates in flight and delete warm clusters when stopped with drain', async () => {
    const provider = new FakeProvider();
    const { sut } = newPool(provider);
    await sut.start();
    provider.next().succeed();
    await flush();
    const inFlight = provider.pending[0];

    await sut.stop({ drain: true });
    await flush();

    expect(inFlight?.signal?.aborted).toBe(true);
    expect(provider.deleted).toEqual(['netlab-2n-cni-1']);
    expect(sut.names()).toEqual(new Set());
    expect(provider.pending.map((p) => p.spec.name)).toEqual(['netlab-2n-cni-2']); // none started after stop
    expect(sut.status()[0]).toMatchObject({ failuresInARow: 0 });
  });
});

describe(profileKey.name, () => {
  it.each([
    [{ nodes: 2, cni: true }, '2n-cni'],
    [{ nodes: 1, cni: false }, '1n-nocni'],
  ])('should key %o as %s and parse it back', (profile, key) => {
    expect(profileKey(profile)).toBe(key);
    expect(parseProfileKey(key)).toEqual(profile);
  });
});
