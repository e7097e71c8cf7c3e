import { afterEach, describe, expect, it } from 'vitest';
import { AttemptExpiry } from './attempt-expiry';
import { ADA, LAB, newAttemptsHarness, readyAttempt } from './testing/attempts-harness';

describe(AttemptExpiry.name, () => {
  let h: ReturnType<typeof newAttemptsHarness>;
  afterEach(() => h.live.onApplicationShutdown());

  it('should push one warning 5 minutes before the TTL and expire the attempt at the TTL', async () => {
    h = newAttemptsHarness({ defaultTtlMinutes: 20, defaultIdleMinutes: 600 });
    const a = await readyAttempt(h);
    const warnings: unknown[] = [];
    h.bus.subscribe(a.id, (e) => e.type === 'warning' && warnings.push(e.data));
    h.clock.advance(14 * 60_000);
    await h.expiry.tick();
    expect(warnings).toEqual([]);
    h.clock.advance(2 * 60_000);
    await h.expiry.tick();
    await h.expiry.tick();
    expect(warnings).toEqual([{ kind: 'expiry', expiresAt: a.expiresAt!.toISOString(), minutesLeft: 4 }]);
    h.clock.advance(5 * 60_000);
    await h.expiry.tick();
    const after = (await h.store.get(a.id))!;
    expect(after).toMatchObject({ state: 'expired', message: expect.stringContaining('Time is up') });
    expect(h.clusters.names.has(a.clusterName!)).toBe(false);
  });

  it('should expire an idle attempt at the idle timeout and not while the learner types', async () => {
    h = newAttemptsHarness({ defaultTtlMinutes: 600, defaultIdleMinutes: 30 });
    const a = await readyAttempt(h);
    h.clock.advance(29 * 60_000);
    await h.store.touch(a.id, h.clock.now());
    h.clock.advance(29 * 60_000);
    await h.expiry.tick();
    expect((await h.store.get(a.id))!.state).toBe('ready');
    h.clock.advance(2 * 60_000);
    await h.expiry.tick();
    expect((await h.store.get(a.id))!).toMatchObject({
      state: 'expired',
      message: expect.stringContaining('without activity'),
    });
  });

  it("should use the lab's own TTL and idle timeout instead of the defaults when the lab sets them", async () => {
    const lab = { ...LAB, definition: { ...LAB.definition, ttlMinutes: 15, idleMinutes: 10 } };
    h = newAttemptsHarness({ defaultTtlMinutes: 600, defaultIdleMinutes: 600 }, { lab });
    const a = await readyAttempt(h);
    expect(a.expiresAt!.getTime() - a.readyAt!.getTime()).toBe(15 * 60_000);
    h.clock.advance(9 * 60_000);
    await h.expiry.tick();
    expect((await h.store.get(a.id))!.state).toBe('ready');
    h.clock.advance(2 * 60_000);
    await h.expiry.tick();
    expect((await h.store.get(a.id))!).toMatchObject({
      state: 'expired',
      message: expect.stringContaining('without activity'),
    });

    const b = await readyAttempt(h);
    await h.service.extend(ADA, b.id);
    expect((await h.store.get(b.id))!.expiresAt!.getTime() - b.expiresAt!.getTime()).toBe(15 * 60_000);
  });

  it('should use the defaults when the lab sets no limits', async () => {
    h = newAttemptsHarness({ defaultTtlMinutes: 45, defaultIdleMinutes: 600 });
    const a = await readyAttempt(h);
    expect(a.expiresAt!.getTime() - a.readyAt!.getTime()).toBe(45 * 60_000);
  });

  it('should reap attempt clusters no live attempt holds and leave other clusters alone', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    h.clusters.names.add('na-orphan-g0');
    h.clusters.names.add('someone-elses-cluster');
    await h.expiry.tick();
    expect([...h.clusters.names].sort()).toEqual([a.clusterName!, 'someone-elses-cluster'].sort());
    expect(ADA.id).toBe(a.userId);
  });
});
