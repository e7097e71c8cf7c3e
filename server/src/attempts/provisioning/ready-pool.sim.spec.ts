import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR } from '@netlab/labs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, TestBrowser, type TestApp } from '../../testing/test-app';
import { AttemptView } from '../attempt.dto';
import { waitForAttempt } from '../testing/attempt-waits';
import { fixSelectorLab } from '../testing/fix-selector-lab';
import { READY_POOL_PREFIX, ReadyPool } from './ready-pool';

const LAB = 'svc-selector-mismatch';

describe(`${ReadyPool.name} on the sim (real server, real kubectl)`, () => {
  let dataDir: string;
  let app: TestApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'netlab-ready-pool-'));
    app = await startTestApp({
      config: { dataDir, labsDir: CATALOG_DIR, provider: 'sim', readyPool: [{ slug: LAB, size: 1 }] },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('should hand a starting learner the cluster made ahead, whose fault matches the attempt and is fixed as usual', async () => {
    const pool = app.app.get(ReadyPool);
    await vi.waitFor(() => expect(pool.counts()).toEqual({ [LAB]: 1 }), { timeout: 60_000, interval: 200 });
    const learner = new TestBrowser(app.url);
    await learner.register({
      email: 'ada@example.com',
      password: 'correct horse battery',
      displayName: 'Ada',
    });
    const id = AttemptView.parse((await learner.post('/api/attempts', { labSlug: LAB })).body).id;

    const ready = await waitForAttempt(learner, id, (a) => a.state === 'ready');
    expect(ready.provisioning.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    const row = await app.db.prisma.attempt.findUniqueOrThrow({ where: { id } });
    expect(row.clusterName).toBe(`${READY_POOL_PREFIX}${row.seed}`);
    const events = await app.db.prisma.attemptEvent.findMany({
      where: { attemptId: id },
      orderBy: { id: 'asc' },
    });
    expect(events.find((e) => e.toState === 'READY')?.cause).toMatch(/provisioned ahead/);

    // The checks were written for the attempt's seed; the cluster was made with it: the diagnosis
    // names the label the Pods really carry, and the learner's fix passes.
    const failing = await waitForAttempt(learner, id, (a) => a.checks.some((c) => c.status === 'fail'));
    expect(failing.checks.find((c) => c.id === 'service-has-endpoints')?.diagnosis).toMatch(/tier=/);
    await fixSelectorLab(row.kubeconfig!, join(dataDir, 'learner.kubeconfig'));
    const passed = await waitForAttempt(learner, id, (a) => a.state === 'passed');
    expect(passed.score).toBe(100);
    // The pool made a replacement.
    await vi.waitFor(() => expect(pool.counts()).toEqual({ [LAB]: 1 }), { timeout: 60_000, interval: 200 });
  }, 180_000);
});
