import { afterEach, describe, expect, it } from 'vitest';
import { AttemptReconciler } from './attempt.reconciler';
import { ADA, newAttemptsHarness, readyAttempt } from './testing/attempts-harness';

describe(AttemptReconciler.name, () => {
  let h: ReturnType<typeof newAttemptsHarness>;
  afterEach(() => h.live.onApplicationShutdown());

  it('should adopt a ready attempt whose cluster exists and restart its live checks', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    h.live.stop(a.id);
    const report = await h.reconciler.reconcile(true);
    expect(report.adopted).toEqual([a.id]);
    expect(h.clusters.watchers.has(a.kubeconfig!)).toBe(true);
    expect((await h.store.get(a.id))!.state).toBe('ready');
  });

  it('should give a ready attempt whose cluster is gone a fresh cluster and tell the learner why', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    h.clusters.names.clear();
    const report = await h.reconciler.reconcile(true);
    expect(report.recovered).toEqual([a.id]);
    const row = (await h.store.get(a.id))!;
    expect(row).toMatchObject({ state: 'queued', generation: 1, seed: a.seed });
    expect(row.message).toMatch(/cluster was lost .*restart/);
    expect(h.store.jobs.at(-1)).toMatchObject({ attemptId: a.id, generation: 1 });
  });

  it('should restart provisioning cut short by a crash on a fresh cluster, deleting the half-made one', async () => {
    h = newAttemptsHarness();
    const a = h.store.seed({
      userId: ADA.id,
      state: 'provisioning',
      step: 'setup',
      clusterName: 'na-half-g0',
    });
    h.clusters.names.add('na-half-g0');
    const report = await h.reconciler.reconcile(true);
    expect(report.restarted).toEqual([a.id]);
    expect(h.clusters.names.has('na-half-g0')).toBe(false);
    expect((await h.store.get(a.id))!).toMatchObject({ state: 'queued', generation: 1 });
    expect(h.store.events.at(-1)!.cause).toContain('cut short at step setup');
  });

  it('should leave provisioning alone while another replica holds its job lease', async () => {
    h = newAttemptsHarness();
    const a = h.store.seed({ userId: ADA.id, state: 'provisioning', step: 'cluster' });
    await h.store.enqueue('provision', a.id, 0);
    await h.store.claim('other-replica', 1);
    const report = await h.reconciler.reconcile(false);
    expect(report.restarted).toEqual([]);
    expect((await h.store.get(a.id))!.state).toBe('provisioning');
  });

  it('should give a queued attempt that lost its job a new one and reap clusters nobody holds', async () => {
    h = newAttemptsHarness();
    const a = h.store.seed({ userId: ADA.id, state: 'queued' });
    h.clusters.names.add('na-leftover-g3');
    const report = await h.reconciler.reconcile(true);
    expect(report.requeued).toEqual([a.id]);
    expect(report.reaped).toEqual(['na-leftover-g3']);
  });

  it('should recover a ready attempt when its sim host loses the cluster', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    await h.store.findByClusterName(a.clusterName!).then((x) => expect(x?.id).toBe(a.id));
    h.clusters.names.delete(a.clusterName!);
    await h.grading['recovery'].recover(a, 'the sim host holding it ran out of memory and was restarted');
    const row = (await h.store.get(a.id))!;
    expect(row.state).toBe('queued');
    expect(row.message).toContain('the sim host holding it ran out of memory');
  });
});
