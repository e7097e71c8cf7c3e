import { afterEach, describe, expect, it } from 'vitest';
import { ADA, LAB, newAttemptsHarness } from '../testing/attempts-harness';
import { MAX_PROVISION_RETRIES, Provisioner } from './provisioner';

describe(Provisioner.name, () => {
  let h: ReturnType<typeof newAttemptsHarness>;
  afterEach(() => h.live.onApplicationShutdown());

  it('should run cluster, setup, fault and toolbox in order, recording each step before it runs', async () => {
    h = newAttemptsHarness();
    const { attempt } = await h.service.start(ADA, LAB.definition.id);
    await h.provisioner.run((await h.store.get(attempt.id))!, new AbortController().signal);
    const row = (await h.store.get(attempt.id))!;
    expect(row).toMatchObject({ state: 'ready', toolboxNamespace: 'netlab-toolbox', toolboxPod: 'toolbox' });
    expect(h.store.events.filter((e) => e.type === 'step').map((e) => e.data?.step)).toEqual([
      'cluster',
      'setup',
      'fault',
      'toolbox',
    ]);
    expect(
      h.clusters.calls
        .filter((c) => !c.startsWith('watch') && !c.startsWith('grade'))
        .map((c) => c.split(' ')[0]),
    ).toEqual(['acquire', 'toolbox', 'setup', 'fault']);
    expect(row.expiresAt!.getTime() - row.readyAt!.getTime()).toBe(60 * 60_000);
  });

  it('should fail with a sentence for the learner and the cause for the operator when a step fails', async () => {
    h = newAttemptsHarness();
    h.clusters.failOn = 'fault';
    const { attempt } = await h.service.start(ADA, LAB.definition.id);
    await h.provisioner.run((await h.store.get(attempt.id))!, new AbortController().signal);
    const row = (await h.store.get(attempt.id))!;
    expect(row).toMatchObject({ state: 'failed', step: 'fault' });
    expect(row.message).toMatch(/failed at step "fault"\. Start the lab again/);
    expect(row.failureCause).toContain('fault exploded');
    expect(h.clusters.names.size).toBe(0);
    const view = await h.service.get(ADA, attempt.id);
    expect(view.provisioning.steps.map((s) => s.state)).toEqual(['done', 'done', 'failed', 'pending']);
  });

  it('should retry on a fresh cluster when the cluster API drops the connection, then fail after the retries', async () => {
    h = newAttemptsHarness();
    h.clusters.failOn = 'setup';
    h.clusters.failWith = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { attempt } = await h.service.start(ADA, LAB.definition.id);
    for (let generation = 0; generation <= MAX_PROVISION_RETRIES; generation++) {
      const row = (await h.store.get(attempt.id))!;
      expect(row).toMatchObject({ state: 'queued', generation });
      await h.provisioner.run(row, new AbortController().signal);
    }
    const row = (await h.store.get(attempt.id))!;
    expect(row).toMatchObject({ state: 'failed', generation: MAX_PROVISION_RETRIES });
    expect(h.store.events.filter((e) => e.cause.startsWith('retry'))).toHaveLength(MAX_PROVISION_RETRIES);
  });

  it('should stop without failing the attempt when provisioning is cancelled by a reset', async () => {
    h = newAttemptsHarness();
    const { attempt } = await h.service.start(ADA, LAB.definition.id);
    const abort = new AbortController();
    abort.abort();
    await h.provisioner.run((await h.store.get(attempt.id))!, abort.signal);
    expect((await h.store.get(attempt.id))!.state).toBe('provisioning');
  });
});
