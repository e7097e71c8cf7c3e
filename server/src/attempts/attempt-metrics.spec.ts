import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CATALOG_DIR } from '@netlab/labs';
import type { ClusterProvider } from '@netlab/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PROVIDER } from '../clusters/cluster-provider.token';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { AttemptExpiry } from './attempt-expiry';
import { AttemptMetrics } from './attempt-metrics';
import { AttemptReconciler } from './attempt.reconciler';
import type { AttemptView } from './attempt.view';
import { waitForAttempt } from './testing/attempt-waits';

const run = promisify(execFile);

/** The value of one sample of the scrape (0 when the series is not there yet). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe(AttemptMetrics.name, () => {
  let app: TestApp;
  let learner: TestBrowser;
  const scrape = async () => (await app.http().get('/metrics')).text;

  beforeAll(async () => {
    app = await startTestApp({
      config: { labsDir: CATALOG_DIR, provider: 'sim', pool: '2n-cni=1' },
    });
    learner = new TestBrowser(app.url);
    await learner.register({
      email: 'mia@example.com',
      password: 'correct horse battery',
      displayName: 'Mia',
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('should count the attempt by state and time its steps and grades when a learner starts a lab', async () => {
    const before = await scrape();
    const started = await learner.post('/api/attempts', { labSlug: 'svc-selector-mismatch' });
    expect(started.status).toBe(201);
    const id = (started.body as AttemptView).id;
    await waitForAttempt(learner, id, (a) => a.state === 'ready', 120_000);

    let after = await scrape();
    expect(sample(after, 'netlab_attempts', 'state="ready"')).toBe(1);
    expect(sample(after, 'netlab_attempt_queue_depth')).toBe(0);
    for (const step of ['queued', 'cluster', 'setup', 'fault', 'toolbox'])
      expect(sample(after, 'netlab_attempt_provisioning_step_seconds_count', `step="${step}"`), step).toBe(
        sample(before, 'netlab_attempt_provisioning_step_seconds_count', `step="${step}"`) + 1,
      );

    // A change in the lab's namespace (as a learner's kubectl makes) triggers a live grade, which is timed.
    const row = await app.db.prisma.attempt.findUniqueOrThrow({ where: { id } });
    const kubeconfig = join(app.config.dataDir, 'learner.kubeconfig');
    writeFileSync(kubeconfig, row.kubeconfig!);
    await run('kubectl', ['annotate', 'services', '-A', '--all', 'netlab.dev/touched=yes'], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    const deadline = Date.now() + 60_000;
    while (
      sample(after, 'netlab_attempt_live_check_latency_seconds_count') <=
        sample(before, 'netlab_attempt_live_check_latency_seconds_count') &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 250));
      after = await scrape();
    }
    expect(sample(after, 'netlab_attempt_live_check_latency_seconds_count')).toBeGreaterThan(
      sample(before, 'netlab_attempt_live_check_latency_seconds_count'),
    );
    expect(sample(after, 'netlab_attempt_check_run_seconds_count', 'trigger="live"')).toBeGreaterThan(
      sample(before, 'netlab_attempt_check_run_seconds_count', 'trigger="live"'),
    );
  }, 180_000);

  it('should count what the reaper and the reconciler did when a cluster belongs to no attempt', async () => {
    const provider = app.app.get<ClusterProvider>(CLUSTER_PROVIDER);
    const orphan = { nodes: 1, cni: true, networkPolicy: true, labels: {} };
    const before = await scrape();

    await provider.create({ name: 'na-orphan0000000001-g0', ...orphan });
    await app.app.get(AttemptExpiry).tick();
    await provider.create({ name: 'na-orphan0000000002-g0', ...orphan });
    await app.app.get(AttemptReconciler).reconcile(true);

    const after = await scrape();
    const delta = (name: string, labels: string) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('netlab_attempt_reaper_actions_total', 'action="reaped"')).toBe(1);
    expect(delta('netlab_attempt_reconciler_actions_total', 'action="reaped"')).toBe(1);
    expect(delta('netlab_attempt_reconciler_actions_total', 'action="adopted"')).toBe(1);
    expect((await provider.list()).map((c) => c.name)).not.toContain('na-orphan0000000002-g0');
  }, 120_000);
});
