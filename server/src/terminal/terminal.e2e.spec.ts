import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR } from '@netlab/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../attempts/attempt.view';
import { waitForAttempt } from '../attempts/testing/attempt-waits';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { TerminalTestClient, type UpgradeRefused } from './testing/terminal-test.client';

const LAB = 'svc-selector-mismatch';

// The real server on the sim: registration, an attempt provisioned by the attempts module, the
// toolbox pod it created, and the browser's WebSocket with the session cookie.
describe('terminal end to end (real server, sim, toolbox shell)', () => {
  let app: TestApp;
  let learner: TestBrowser;
  let attemptId: string;
  const ws = (id: string, terminalId = 't1') =>
    app.url.replace('http', 'ws') + `/api/attempts/${id}/terminals/${terminalId}/ws`;

  beforeAll(async () => {
    app = await startTestApp({
      config: {
        dataDir: mkdtempSync(join(tmpdir(), 'netlab-terminal-e2e-')),
        labsDir: CATALOG_DIR,
        provider: 'sim',
      },
    });
    learner = new TestBrowser(app.url);
    expect(
      (
        await learner.register({
          email: 'ada@example.com',
          password: 'correct horse battery',
          displayName: 'Ada',
        })
      ).status,
    ).toBe(200);
    const started = await learner.post('/api/attempts', { labSlug: LAB });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    attemptId = (started.body as AttemptView).id;
    await waitForAttempt(learner, attemptId, (a) => a.state === 'ready', 300_000);
  }, 360_000);

  afterAll(async () => {
    await app?.close();
  });

  it('should run kubectl in the toolbox and keep the command in the attempt command log', async () => {
    const c = await TerminalTestClient.connect(ws(attemptId), { cookie: learner.cookie, origin: app.url });
    try {
      expect(await c.hello(0, { cols: 120, rows: 40 })).toMatchObject({ state: 'attached', resumed: true });
      await c.waitFor('$ ', 60_000);
      c.type('kubectl get pods -A | grep -c Running; false\r');
      await c.until(() => c.commands.length >= 1, 60_000, 'the COMMAND frame');
      expect(c.output).toMatch(/\r\d+\r\n/);
      expect(c.commands[0]).toMatchObject({
        command: 'kubectl get pods -A | grep -c Running; false',
        exitCode: 1,
      });
      const log = (await learner.get(`/api/attempts/${attemptId}/commands`)).body as {
        commands: { terminalId: string; command: string; exitCode: number | null }[];
      };
      expect(log.commands).toEqual([
        expect.objectContaining({
          terminalId: 't1',
          command: 'kubectl get pods -A | grep -c Running; false',
          exitCode: 1,
        }),
      ]);
    } finally {
      await c.close();
    }
  }, 120_000);

  it('should refuse another learner, a foreign Origin and a signed-out browser before any exec', async () => {
    const other = new TestBrowser(app.url);
    await other.register({ email: 'eve@example.com', password: 'correct horse battery', displayName: 'Eve' });
    const refused = (options: { cookie?: string; origin: string }) =>
      TerminalTestClient.connect(ws(attemptId, 't9'), options).then(
        () => ({ status: 101 }),
        (e: UpgradeRefused) => e,
      );
    expect(await refused({ cookie: other.cookie, origin: app.url })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await refused({ cookie: learner.cookie, origin: 'https://evil.example' })).toMatchObject({
      status: 403,
    });
    expect(await refused({ origin: app.url })).toMatchObject({ status: 401 });
    const metrics = (await learner.get('/metrics')).text;
    expect(metrics).toMatch(/netlab_terminal_refused_total\{status="404"\} \d+/);
  }, 60_000);
});
