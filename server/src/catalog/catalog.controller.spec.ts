import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { DatabaseService } from '../database/database.service';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { VALID_LAB } from '../testing/labs-fixture';
import { createTestUser, TEST_PASSWORD } from '../testing/users';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

/** Retries until it passes: attempt changes reach the cache through a NOTIFY, on its own connection. */
const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 20 });

describe(`${CatalogController.name} GET /api/labs`, () => {
  let app: TestApp;
  let learner: SessionUser;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp();
    learner = await createTestUser(app.app, 'learner');
    browser = new TestBrowser(app.url);
    expect((await browser.signIn(learner.email, TEST_PASSWORD)).status).toBe(200);
  }, 120_000);
  afterAll(() => app?.close());

  const labsOf = (user: SessionUser) => app.app.get(CatalogService).list(user);
  const get = (etag?: string) => {
    const req = app.http().get('/api/labs').set('cookie', browser.cookie);
    return etag ? req.set('if-none-match', etag) : req;
  };

  it('should answer the listing as JSON with an ETag, and 304 without a body while it is current', async () => {
    const first = await get();

    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.body).toEqual({ labs: await labsOf(learner) });
    expect(first.body.labs.length).toBeGreaterThan(1);
    const again = await get(first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it("should show the learner's new attempt at once, under a new ETag, when the attempt is created", async () => {
    const before = await get();
    expect(before.body.labs.find((l: { slug: string }) => l.slug === VALID_LAB).my.status).toBe('none');
    const { prisma } = app.app.get(DatabaseService);
    const version = await prisma.labVersion.create({
      data: { slug: VALID_LAB, contentHash: 'h', files: {}, definition: {} },
    });
    const attempt = await prisma.attempt.create({
      data: {
        userId: learner.id,
        labVersionId: version.id,
        labSlug: VALID_LAB,
        seed: 's',
        activeKey: `${learner.id}:${VALID_LAB}`,
      },
    });

    const after = await waitFor(async () => {
      const res = await get(before.headers.etag);
      expect(res.status).toBe(200);
      return res;
    });

    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.labs.find((l: { slug: string }) => l.slug === VALID_LAB).my).toEqual({
      status: 'active',
      bestScore: null,
      activeAttemptId: attempt.id,
    });
    expect(after.body).toEqual({ labs: await labsOf(learner) });
  });
});
