import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptProgress } from '../attempts/attempt-progress';
import { AttemptRepository } from '../attempts/attempt.repository';
import type { Unlisten } from '../database/database-connection';
import { describeDatabases } from '../database/testing/test-databases';
import type { LabProgressView } from './catalog.dto';
import type { LearnerProgress } from './learner-progress';
import { ATTEMPT_CHANGED_CHANNEL, LearnerProgressCache, type ChangeFeed } from './learner-progress.cache';

/** Retries until it passes: attempt changes reach the cache through a NOTIFY, on its own connection. */
const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 20 });

/** The real AttemptProgress, counting how often the database is asked. */
function countingSource(inner: LearnerProgress): LearnerProgress & { calls: number } {
  const source = {
    calls: 0,
    forUser: (userId: string) => {
      source.calls++;
      return inner.forUser(userId);
    },
  };
  return source;
}

describeDatabases(LearnerProgressCache.name, (t) => {
  let source: ReturnType<typeof countingSource>;
  let sut: LearnerProgressCache;
  let labVersionId: string;

  async function newLearner(): Promise<string> {
    const user = await t.db.prisma.user.create({
      data: { email: `${randomUUID()}@example.com`, displayName: 'L', passwordHash: 'x' },
    });
    return user.id;
  }

  function addAttempt(userId: string, slug = 'svc-selector'): Promise<{ id: string }> {
    return t.db.prisma.attempt.create({
      data: { userId, labVersionId, labSlug: slug, seed: 's', activeKey: `${userId}:${slug}` },
    });
  }

  beforeEach(async () => {
    await t.truncateAll();
    labVersionId = (
      await t.db.prisma.labVersion.create({
        data: { slug: 'svc-selector', contentHash: 'h', files: {}, definition: {} },
      })
    ).id;
    source = countingSource(new AttemptProgress(new AttemptRepository(t.db)));
    sut = new LearnerProgressCache(source, t.db);
    await sut.onModuleInit();
  });

  afterEach(() => sut.onApplicationShutdown());

  it('should answer from memory when the learner has no change since the last read', async () => {
    const learner = await newLearner();

    const first = await sut.forUser(learner);
    const second = await sut.forUser(learner);

    expect(sut.listening).toBe(true);
    expect(first).toEqual(new Map());
    expect(second).toBe(first);
    expect(source.calls).toBe(1);
  });

  it('should show the new state when an attempt of the learner is created, then passed', async () => {
    const learner = await newLearner();
    await sut.forUser(learner);

    const attempt = await addAttempt(learner);
    await waitFor(async () =>
      expect((await sut.forUser(learner)).get('svc-selector')).toEqual({
        status: 'active',
        bestScore: null,
        activeAttemptId: attempt.id,
      } satisfies LabProgressView),
    );
    await t.db.prisma.attempt.update({
      where: { id: attempt.id },
      data: { state: 'PASSED', score: 87, activeKey: null },
    });
    await waitFor(async () =>
      expect((await sut.forUser(learner)).get('svc-selector')).toEqual({
        status: 'passed',
        bestScore: 87,
        activeAttemptId: null,
      } satisfies LabProgressView),
    );
  });

  it("should keep other learners' progress when one learner's attempts change", async () => {
    const [ada, bob] = [await newLearner(), await newLearner()];
    await sut.forUser(ada);
    await sut.forUser(bob);

    await addAttempt(ada);
    await waitFor(async () => expect((await sut.forUser(ada)).size).toBe(1));
    const calls = source.calls;
    await sut.forUser(bob);

    expect(source.calls).toBe(calls);
  });

  it('should forget every learner when the attempts table is truncated', async () => {
    const learner = await newLearner();
    await addAttempt(learner);
    await waitFor(async () => expect((await sut.forUser(learner)).size).toBe(1));

    await t.db.prisma.$executeRawUnsafe('TRUNCATE "Attempt" CASCADE');

    await waitFor(async () => expect((await sut.forUser(learner)).size).toBe(0));
  });
});

/** A change feed the test drives by hand. */
function fakeFeed() {
  const feed = {
    subscriptions: 0,
    notify: (_userId: string) => {},
    lose: (_error: Error) => {},
    fail: undefined as Error | undefined,
    listen: vi.fn(
      async (
        channel: string,
        onNotify: (p: string) => void,
        onLost: (e: Error) => void,
      ): Promise<Unlisten> => {
        expect(channel).toBe(ATTEMPT_CHANGED_CHANNEL);
        if (feed.fail) throw feed.fail;
        feed.subscriptions++;
        feed.notify = onNotify;
        feed.lose = onLost;
        return async () => {};
      },
    ),
  };
  return feed satisfies ChangeFeed;
}

function progressOf(status: LabProgressView['status']): Map<string, LabProgressView> {
  return new Map([['lab', { status, bestScore: null, activeAttemptId: null }]]);
}

describe(`${LearnerProgressCache.name} without a change feed`, () => {
  afterEach(() => vi.useRealTimers());

  it('should not keep a read that overlapped a change of the same learner', async () => {
    const feed = fakeFeed();
    let release: (v: Map<string, LabProgressView>) => void = () => {};
    const source = {
      calls: 0,
      forUser: () => {
        source.calls++;
        return source.calls === 1
          ? new Promise<Map<string, LabProgressView>>((resolve) => (release = resolve))
          : Promise.resolve(progressOf('active'));
      },
    };
    const sut = new LearnerProgressCache(source, feed);
    await sut.onModuleInit();

    const stale = sut.forUser('u1');
    feed.notify('u1'); // the attempt changed while the database was being read
    release(progressOf('none'));
    await stale;

    expect(sut.size).toBe(0);
    expect((await sut.forUser('u1')).get('lab')?.status).toBe('active');
  });

  it('should read the database every time when the listener connection is lost, until it listens again', async () => {
    vi.useFakeTimers();
    const feed = fakeFeed();
    const source = { calls: 0, forUser: async () => (source.calls++, progressOf('none')) };
    const sut = new LearnerProgressCache(source, feed);
    await sut.onModuleInit();
    await sut.forUser('u1');

    feed.lose(new Error('connection terminated'));
    await sut.forUser('u1');
    await sut.forUser('u1');
    expect(sut.listening).toBe(false);
    expect(source.calls).toBe(3);

    await vi.advanceTimersByTimeAsync(1000);
    expect(feed.subscriptions).toBe(2);
    await sut.forUser('u1');
    await sut.forUser('u1');
    expect(source.calls).toBe(4);
    await sut.onApplicationShutdown();
  });

  it('should serve uncached reads when listening fails at start-up', async () => {
    vi.useFakeTimers();
    const feed = fakeFeed();
    feed.fail = new Error('too many connections');
    const source = { calls: 0, forUser: async () => (source.calls++, progressOf('none')) };
    const sut = new LearnerProgressCache(source, feed);

    await sut.onModuleInit();
    await sut.forUser('u1');
    await sut.forUser('u1');

    expect(sut.listening).toBe(false);
    expect(source.calls).toBe(2);
    await sut.onApplicationShutdown();
  });
});
