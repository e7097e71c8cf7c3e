import { SimProvider } from '@netlab/infra';
import { afterEach, describe, expect, it } from 'vitest';
import { LabClusters } from './lab-clusters';
import { createSimWarmPool, SIM_POOL_PREFIX } from './sim-warm-pool';

const spec = { name: 'na-0000000000000001-g0', nodes: 2, cni: true, networkPolicy: true, labels: {} };

describe(LabClusters.name, () => {
  let provider: SimProvider | undefined;
  afterEach(async () => {
    await provider?.manager.stopAll();
    provider = undefined;
  });

  it('should show a cluster just handed out by the warm pool as existing, yet keep the reapers off it', async () => {
    provider = new SimProvider();
    const pool = createSimWarmPool({ provider, pool: '2n-cni=1', concurrency: 1 })!;
    await pool.start();
    await pool.settled();
    const sut = new LabClusters(provider, pool);
    const waiting = [...pool.names()][0]!;
    expect(await sut.existing()).not.toContain(waiting); // the pool's own

    const handle = await sut.acquire(spec);

    expect(handle.name.startsWith(SIM_POOL_PREFIX)).toBe(true);
    // A recovery check right after the claim must find it (it did not: the attempt was recovered).
    expect(await sut.existing()).toContain(handle.name);
    // Its attempt may not have recorded it yet: no reaper may take it.
    expect(sut.isHeld(handle.name)).toBe(true);
    await pool.stop({ drain: false });
  });

  it('should keep a held cluster from the reapers until every hold is released', async () => {
    provider = new SimProvider();
    const sut = new LabClusters(provider);
    const first = sut.hold('na-ready-a');
    const second = sut.hold('na-ready-a');
    first();
    first();
    expect(sut.isHeld('na-ready-a')).toBe(true);
    second();
    expect(sut.isHeld('na-ready-a')).toBe(false);
  });
});
