import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR } from '@netlab/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseService, pgliteDirOf } from '../database/database.service';
import { TestBrowser } from '../testing/test-app';
import { PROVISIONING_STEPS } from './attempt-state';
import type { AttemptView } from './attempt.view';
import { waitForAttempt } from './testing/attempt-waits';
import { ServerProcess } from './testing/server-process';

const LAB = 'svc-selector-mismatch';
const PASSWORD = 'correct horse battery';

// A real server process is SIGKILLed while its attempt is inside each provisioning step (each step
// pauses 3 s after it is recorded so the kill lands inside it); the next server must find the
// attempt, restart its provisioning cleanly on a fresh cluster and bring it to ready, losing nothing.
describe('attempts crash safety (SIGKILL in each provisioning step)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'netlab-attempts-crash-'));
  const env = {
    NETLAB_DATA_DIR: dataDir,
    NETLAB_LABS_DIR: CATALOG_DIR,
    NETLAB_PROVIDER: 'sim',
    NETLAB_SESSION_SECRET: 'crash-test-secret-crash-test-secret-0123',
  };
  let server: ServerProcess | undefined;

  beforeAll(() => undefined);
  afterAll(async () => {
    await server?.kill();
  });

  it.each(PROVISIONING_STEPS.map((s) => s.name))(
    'should restart provisioning and reach ready when the server is killed in step %s',
    async (step) => {
      server = await ServerProcess.start({ ...env, NETLAB_PROVISION_STEP_PAUSE_MS: '3000' });
      const email = `crash-${step}@example.com`;
      let learner = new TestBrowser(server.url);
      expect((await learner.register({ email, password: PASSWORD, displayName: step })).status).toBe(200);
      const started = await learner.post('/api/attempts', { labSlug: LAB });
      expect(started.status).toBe(201);
      const id = (started.body as AttemptView).id;
      await waitForAttempt(
        learner,
        id,
        (a) => a.state === 'provisioning' && a.provisioning.step === step,
        60_000,
      );
      await server.kill();

      server = await ServerProcess.start(env);
      learner = new TestBrowser(server.url);
      expect((await learner.signIn(email, PASSWORD)).status).toBe(200);
      const ready = await waitForAttempt(learner, id, (a) => a.state === 'ready', 90_000);
      expect(ready.terminal.available).toBe(true);
      const mine = (await learner.get('/api/attempts')).body as { attempts: { id: string }[] };
      expect(mine.attempts.map((a) => a.id)).toEqual([id]);
      await server.stop();
      server = undefined;

      const db = await DatabaseService.open({ pgliteDir: pgliteDirOf(dataDir) });
      try {
        const row = await db.prisma.attempt.findUniqueOrThrow({ where: { id } });
        expect(row).toMatchObject({ state: 'READY', generation: 1 });
        const events = await db.prisma.attemptEvent.findMany({
          where: { attemptId: id },
          orderBy: { id: 'asc' },
        });
        const recover = events.find((e) => e.type === 'transition' && e.toState === 'QUEUED');
        expect(recover?.cause).toContain(`cut short at step ${step}`);
        expect(events.filter((e) => e.type === 'step').map((e) => (e.data as { step: string }).step)).toEqual(
          expect.arrayContaining([step, 'cluster', 'setup', 'fault', 'toolbox']),
        );
        expect(events.at(-1)).toMatchObject({ type: 'transition', toState: 'READY' });
      } finally {
        await db.close();
      }
    },
    300_000,
  );
});
