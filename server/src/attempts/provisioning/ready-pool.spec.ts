import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADA, BOB, LAB, newAttemptsHarness } from '../testing/attempts-harness';
import { READY_POOL_PREFIX, ReadyPool } from './ready-pool';

const SLUG = LAB.definition.id;

describe(ReadyPool.name, () => {
  let h: ReturnType<typeof newAttemptsHarness>;
  afterEach(async () => {
    await h.readyPool.stop();
    await h.live.onApplicationShutdown();
  });

  async function filled(size: number) {
    h = newAttemptsHarness({}, { readyPool: [{ slug: SLUG, size }] });
    h.readyPool.start();
    await vi.waitFor(() => expect(h.readyPool.counts()).toEqual({ [SLUG]: size }));
  }

  it('should make each cluster as an attempt would, hidden from the reaper while it waits', async () => {
    await filled(2);
    const made = h.clusters.calls.filter((c) => /^(acquire|setup|fault|toolbox)/.test(c));
    expect(made.map((c) => c.split(' ')[0]).sort()).toEqual(
      ['acquire', 'acquire', 'fault', 'fault', 'setup', 'setup', 'toolbox', 'toolbox'].sort(),
    );
    // Graded once each under the fault (the grader's probe pods start ahead).
    expect(h.clusters.calls.filter((c) => c.startsWith('grade '))).toHaveLength(2);
    expect([...h.clusters.names].every((n) => n.startsWith(READY_POOL_PREFIX))).toBe(true);
    expect(h.clusters.names.size).toBe(2);
    expect([...(await h.clusters.existing())].every((n) => h.clusters.isHeld(n))).toBe(true);
    // The reaper leaves them alone.
    await h.expiry.tick();
    expect(h.clusters.names.size).toBe(2);
  });

  it('should give a starting learner a ready cluster: one step recorded, no setup or fault run, then refill', async () => {
    await filled(1);
    const pooled = [...h.clusters.names][0]!;
    const { attempt } = await h.service.start(ADA, SLUG);
    expect(pooled).toBe(`${READY_POOL_PREFIX}${(await h.store.get(attempt.id))!.seed}`);
    const before = h.clusters.calls.length;
    await h.provisioner.run((await h.store.get(attempt.id))!, new AbortController().signal);
    const row = (await h.store.get(attempt.id))!;
    expect(row).toMatchObject({ state: 'ready', clusterName: pooled, kubeconfig: `kubeconfig-of-${pooled}` });
    expect(row.toolboxPod).toBe('toolbox');
    expect(h.store.events.filter((e) => e.type === 'step').map((e) => e.data?.step)).toEqual(['cluster']);
    expect(h.store.events.find((e) => e.toState === 'ready')?.cause).toMatch(/provisioned ahead/);
    expect(
      h.clusters.calls.slice(before).filter((c) => /^(setup|fault) /.test(c) && c.includes(pooled)),
    ).toEqual([]);
    // The attempt holds it now, not the pool: it exists for the recovery check, and the reaper keeps
    // it as a live attempt's cluster.
    expect(h.clusters.isHeld(pooled)).toBe(false);
    expect(await h.clusters.existing()).toContain(pooled);
    await h.expiry.tick();
    expect(h.clusters.names).toContain(pooled);
    const view = await h.service.get(ADA, attempt.id);
    expect(view.provisioning.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    await vi.waitFor(() => expect(h.readyPool.counts()).toEqual({ [SLUG]: 1 }));
  });

  it('should provision as usual when the pool is empty, and give the cluster back when the learner had the lab running', async () => {
    await filled(1);
    const first = await h.service.start(ADA, SLUG);
    await h.readyPool.stop();
    const second = await h.service.start(BOB, SLUG);
    const bobs = (await h.store.get(second.attempt.id))!;
    expect(`${READY_POOL_PREFIX}${bobs.seed}`).not.toBe(
      `${READY_POOL_PREFIX}${(await h.store.get(first.attempt.id))!.seed}`,
    );
    await h.provisioner.run(bobs, new AbortController().signal);
    expect(
      h.store.events.filter((e) => e.attemptId === bobs.id && e.type === 'step').map((e) => e.data?.step),
    ).toEqual(['cluster', 'setup', 'fault', 'toolbox']);
  });

  it('should not grow when a learner starts a lab they already have running', async () => {
    await filled(2);
    const first = await h.service.start(ADA, SLUG);
    await vi.waitFor(() => expect(h.readyPool.counts()).toEqual({ [SLUG]: 2 }));
    for (let i = 0; i < 3; i++) {
      const again = await h.service.start(ADA, SLUG);
      expect(again).toMatchObject({ created: false, attempt: { id: first.attempt.id } });
    }
    await vi.waitFor(() => expect(h.clusters.names.size).toBe(3));
    expect(h.readyPool.counts()).toEqual({ [SLUG]: 2 });
    expect(h.readyPool.take((await h.store.get(first.attempt.id))!)).toBeDefined();
  });

  it('should delete a cluster whose fault failed, never hand it out, and try again after a back-off', async () => {
    h = newAttemptsHarness({}, { readyPool: [{ slug: SLUG, size: 1 }] });
    h.clusters.failOn = 'fault';
    h.readyPool.start();
    await vi.waitFor(() =>
      expect(h.clusters.calls.filter((c) => c.startsWith('delete')).length).toBeGreaterThan(0),
    );
    expect(h.readyPool.counts()).toEqual({});
    expect(h.clusters.names.size).toBe(0);
    h.clusters.failOn = undefined;
    await vi.waitFor(() => expect(h.readyPool.counts()).toEqual({ [SLUG]: 1 }));
  });

  it('should never keep a cluster whose checks already pass under the fault', async () => {
    h = newAttemptsHarness({}, { readyPool: [{ slug: SLUG, size: 1 }] });
    h.clusters.verdicts = Object.fromEntries(LAB.definition.checks.map((c) => [c.id, 'pass' as const]));
    h.readyPool.start();
    await vi.waitFor(() =>
      expect(h.clusters.calls.filter((c) => c.startsWith('delete')).length).toBeGreaterThan(1),
    );
    expect(h.readyPool.counts()).toEqual({});
    h.clusters.verdicts = {};
    await vi.waitFor(() => expect(h.readyPool.counts()).toEqual({ [SLUG]: 1 }));
  });

  it('should delete every cluster nobody took when it stops', async () => {
    await filled(3);
    await h.readyPool.stop();
    expect(h.clusters.names.size).toBe(0);
    expect(h.clusters.held.size).toBe(0);
  });

  it('should provision the same seed afresh on a reset', async () => {
    await filled(1);
    const { attempt } = await h.service.start(ADA, SLUG);
    await h.provisioner.run((await h.store.get(attempt.id))!, new AbortController().signal);
    const ready = (await h.store.get(attempt.id))!;
    await h.service.reset(ADA, attempt.id);
    const queued = (await h.store.get(attempt.id))!;
    await h.provisioner.run(queued, new AbortController().signal);
    const after = (await h.store.get(attempt.id))!;
    expect(after).toMatchObject({ state: 'ready', seed: ready.seed, generation: 1 });
    expect(after.clusterName).not.toBe(ready.clusterName);
    expect(after.clusterName!.startsWith(READY_POOL_PREFIX)).toBe(false);
  });
});
