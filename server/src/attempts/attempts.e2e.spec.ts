import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR } from '@netlab/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { waitForAttempt } from './testing/attempt-waits';
import { fixSelectorLab } from './testing/fix-selector-lab';
import { NetMap } from '../clusters/net-map.dto';
import { AttemptListResponse, AttemptView, CheckRunListResponse } from './attempt.dto';

const LAB = 'svc-selector-mismatch';

/** Reads an SSE response until `pattern` matches its text, then closes it. */
async function readUntil(res: Response, pattern: RegExp): Promise<RegExpExecArray> {
  const reader = res.body!.getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended without ${pattern}: ${text}`);
      text += new TextDecoder().decode(value);
      const m = pattern.exec(text);
      if (m) return m;
    }
  } finally {
    await reader.cancel();
  }
}

describe('attempts end to end (real server, sim, real kubectl)', () => {
  let dataDir: string;
  let app: TestApp;
  let learner: TestBrowser;
  let attemptId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'netlab-attempts-e2e-'));
    app = await startTestApp({
      config: { dataDir, labsDir: CATALOG_DIR, provider: 'sim' },
      database: 'disk',
    });
    learner = new TestBrowser(app.url);
    const res = await learner.register({
      email: 'ada@example.com',
      password: 'correct horse battery',
      displayName: 'Ada',
    });
    expect(res.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('should provision the lab, show the fault, then pass live when kubectl fixes the Service', async () => {
    const started = await learner.post('/api/attempts', { labSlug: LAB });
    expect(started.status).toBe(201);
    // Every body is parsed with the schema /api/docs publishes: the document is the contract.
    attemptId = AttemptView.parse(started.body).id;
    const again = await learner.post('/api/attempts', { labSlug: LAB });
    expect(again.status).toBe(200);
    expect((again.body as AttemptView).id).toBe(attemptId);

    const stream = await fetch(`${app.url}/api/attempts/${attemptId}/events`, {
      headers: { cookie: learner.cookie },
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const first = await readUntil(stream, /event: attempt\ndata: (.*)\n\n/);
    expect(JSON.parse(first[1]!)).toMatchObject({ id: attemptId, labSlug: LAB });

    const ready = await waitForAttempt(learner, attemptId, (a) => a.state === 'ready');
    expect(ready.provisioning.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(ready.terminal.available).toBe(true);
    expect(ready.solution).toBeNull();
    const failing = await waitForAttempt(learner, attemptId, (a) =>
      a.checks.some((c) => c.status === 'fail'),
    );
    const endpoints = failing.checks.find((c) => c.id === 'service-has-endpoints')!;
    expect(endpoints.status).toBe('fail');
    expect(endpoints.diagnosis).toMatch(/tier=/);
    expect(endpoints.path).toContainEqual(expect.objectContaining({ hop: 'endpoints', ok: false }));
    const other = new TestBrowser(app.url);
    await other.register({ email: 'eve@example.com', password: 'correct horse battery', displayName: 'Eve' });
    expect((await other.get(`/api/attempts/${attemptId}`)).status).toBe(404);
    expect((await other.post(`/api/attempts/${attemptId}/abandon`)).status).toBe(404);
    const map = NetMap.parse((await learner.get(`/api/attempts/${attemptId}/netmodel`)).body);
    expect(map.services).toContainEqual(expect.objectContaining({ endpoints: [] }));
    expect(map.nodes.flatMap((n) => n.pods).length).toBeGreaterThanOrEqual(3);

    const row = await app.db.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    await fixSelectorLab(row.kubeconfig!, join(dataDir, 'learner.kubeconfig'));

    const passed = await waitForAttempt(learner, attemptId, (a) => a.state === 'passed');
    expect(passed.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(passed.score).toBe(100);
    expect(passed.solution?.commands.length).toBeGreaterThan(0);
    expect(passed.debrief?.links.length).toBeGreaterThan(0);
    const runs = CheckRunListResponse.parse(
      (await learner.get(`/api/attempts/${attemptId}/check-runs`)).body,
    );
    expect(runs.checkRuns[0]).toMatchObject({ trigger: 'live', passed: true });
  }, 180_000);

  it('should keep the attempt, its check runs and its events after a restart', async () => {
    const runsBefore = (
      (await learner.get(`/api/attempts/${attemptId}/check-runs`)).body as { checkRuns: unknown[] }
    ).checkRuns.length;
    await app.close();
    app = await startTestApp({
      config: { dataDir, labsDir: CATALOG_DIR, provider: 'sim' },
      database: 'disk',
    });
    learner = new TestBrowser(app.url);
    expect((await learner.signIn('ada@example.com', 'correct horse battery')).status).toBe(200);
    const after = AttemptView.parse((await learner.get(`/api/attempts/${attemptId}`)).body);
    expect(after).toMatchObject({ state: 'passed', score: 100 });
    const runs = (await learner.get(`/api/attempts/${attemptId}/check-runs`)).body as {
      checkRuns: unknown[];
    };
    expect(runs.checkRuns).toHaveLength(runsBefore);
    const list = AttemptListResponse.parse((await learner.get('/api/attempts')).body);
    expect(list.attempts).toEqual([expect.objectContaining({ id: attemptId, state: 'passed' })]);
  }, 180_000);
});
