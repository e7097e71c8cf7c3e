import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { SessionUser } from '../auth/auth.types';
import { LAB_VERSIONS, type LabVersions } from '../catalog/lab-versions';
import { CLOCK, type Clock } from '../common/clock';
import { AppError, AppErrorCode } from '../common/app-error';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import type { NetMap } from '../clusters/net-map.reader';
import { AttemptAccess } from './attempt-access';
import { AttemptGrading } from './attempt-grading';
import { AttemptLabs } from './attempt-labs';
import { AttemptLifecycle } from './attempt-lifecycle';
import { ENDED_STATES } from './attempt-state';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import { AttemptNotifier } from './attempt.notifier';
import { ProvisionQueue } from './provisioning/provision.queue';
import { ReadyPool } from './provisioning/ready-pool';
import {
  attemptSummaryView,
  checkRunView,
  type AttemptSummaryView,
  type AttemptView,
  type CheckRunView,
} from './attempt.view';

/** The attempts API's logic: each method is one route of docs/api-contract.md (Attempts). */
@Injectable()
export class AttemptService {
  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_VERSIONS) private readonly versions: LabVersions,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
    @Inject(AttemptAccess) private readonly access: AttemptAccess,
    @Inject(AttemptLifecycle) private readonly lifecycle: AttemptLifecycle,
    @Inject(AttemptGrading) private readonly grading: AttemptGrading,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ReadyPool) private readonly readyPool: ReadyPool,
    /** Told of a new attempt's job at once (on PGlite the queue polls only every few seconds). */
    @Optional() @Inject(ProvisionQueue) private readonly queue?: Pick<ProvisionQueue, 'kick'>,
  ) {}

  /** Starts the lab for the learner, or returns their live attempt of it (`created: false`). */
  async start(user: SessionUser, labSlug: string): Promise<{ attempt: AttemptView; created: boolean }> {
    const pinned = await this.versions.pin(labSlug);
    const live = await this.store.countLiveOfUser(user.id);
    if (live >= this.config.attempts.perUserQuota) {
      const same = await this.existingOrRefuse(user, labSlug, live);
      return { attempt: await this.notifier.view(same), created: false };
    }
    // A cluster of this lab provisioned ahead, when the ready pool has one: the attempt takes its seed.
    const reserved = this.readyPool.reserve(pinned.labVersionId);
    const { attempt, created } = await this.store
      .createQueued({
        userId: user.id,
        labVersionId: pinned.labVersionId,
        labSlug,
        seed: reserved ?? randomBytes(6).toString('hex'),
      })
      .catch((error: unknown) => {
        if (reserved) this.readyPool.unreserve(reserved);
        throw error;
      });
    if (reserved && !created) this.readyPool.unreserve(reserved);
    if (created) {
      this.queue?.kick();
      this.notifier.changed(attempt);
    }
    return { attempt: await this.notifier.view(attempt), created };
  }

  async get(user: SessionUser, id: string): Promise<AttemptView> {
    const { attempt } = await this.access.readable(user, id);
    return this.notifier.view(attempt);
  }

  async listMine(user: SessionUser): Promise<AttemptSummaryView[]> {
    const rows = await this.store.listByUser(user.id);
    return Promise.all(
      rows.map(async (a) =>
        attemptSummaryView(
          a,
          await this.labs.of(a).then(
            (l) => l.definition.title,
            () => a.labSlug,
          ),
        ),
      ),
    );
  }

  async checkRuns(user: SessionUser, id: string): Promise<CheckRunView[]> {
    const { attempt } = await this.access.readable(user, id);
    const runs = await this.store.listCheckRuns(id);
    return runs.map((r) => checkRunView(r, attempt.examSittingId !== null));
  }

  async check(user: SessionUser, id: string): Promise<CheckRunView> {
    const attempt = await this.access.writable(user, id);
    await this.store.touch(id, this.clock.now());
    const run = await this.grading.grade(attempt, 'manual');
    if (!run)
      throw new AppError(
        AppErrorCode.CONFLICT,
        'The check could not finish: your cluster changed state meanwhile. Look at the attempt for what happened.',
      );
    return checkRunView(run, attempt.examSittingId !== null);
  }

  /** Reveals the next hint, recording its cost. */
  async hint(
    user: SessionUser,
    id: string,
  ): Promise<{ hint: { index: number; cost: number; markdown: string }; attempt: AttemptView }> {
    const attempt = await this.access.writable(user, id);
    if (ENDED_STATES.includes(attempt.state))
      throw new AppError(
        AppErrorCode.CONFLICT,
        `This attempt is ${attempt.state}; hints are for attempts in progress.`,
      );
    const lab = await this.labs.of(attempt);
    const index = (await this.store.listHintUses(id)).length;
    const hint = lab.definition.hints[index];
    if (!hint)
      throw new AppError(
        AppErrorCode.CONFLICT,
        `Every hint of this lab is revealed already (${index} of ${index}).`,
      );
    if (!(await this.store.addHintUse(id, index, hint.cost)))
      throw new AppError(AppErrorCode.CONFLICT, 'That hint was just revealed; reload to see it.');
    await this.store.log(id, {
      type: 'hint',
      cause: `hint ${index + 1} revealed`,
      data: { index, cost: hint.cost },
    });
    await this.store.touch(id, this.clock.now());
    const now = (await this.store.get(id))!;
    this.notifier.changed(now);
    return { hint: { index, cost: hint.cost, markdown: hint.text }, attempt: await this.notifier.view(now) };
  }

  async reset(user: SessionUser, id: string): Promise<AttemptView> {
    const attempt = await this.access.writable(user, id);
    const after = await this.lifecycle.apply(attempt, 'reset', 'the learner asked for a fresh cluster', {
      patch: { message: null },
    });
    return this.notifier.view(after);
  }

  async extend(user: SessionUser, id: string): Promise<AttemptView> {
    const attempt = await this.access.writable(user, id);
    if (attempt.extended)
      throw new AppError(
        AppErrorCode.ALREADY_EXTENDED,
        'This attempt has been extended once already; it cannot be extended again.',
      );
    const after = await this.lifecycle.apply(attempt, 'extend', 'the learner asked for more time');
    return this.notifier.view(after);
  }

  /** A final grade: passed when every check passes, failed otherwise. */
  async finish(user: SessionUser, id: string): Promise<AttemptView> {
    const attempt = await this.access.writable(user, id);
    await this.grading.grade(attempt, 'final');
    return this.notifier.view((await this.store.get(id))!);
  }

  async abandon(user: SessionUser, id: string): Promise<AttemptView> {
    const attempt = await this.access.writable(user, id);
    const after = await this.lifecycle.apply(attempt, 'abandon', 'the learner gave up', {
      patch: { message: null },
    });
    return this.notifier.view(after);
  }

  async commands(user: SessionUser, id: string) {
    await this.access.readable(user, id);
    const rows = await this.store.listCommands(id);
    return rows.map((c) => ({
      terminalId: c.terminalId,
      command: c.command,
      exitCode: c.exitCode,
      at: c.at.toISOString(),
    }));
  }

  async netMap(user: SessionUser, id: string): Promise<NetMap> {
    const { attempt } = await this.access.readable(user, id);
    if (attempt.state !== 'ready' || !attempt.kubeconfig)
      throw new AppError(
        AppErrorCode.CONFLICT,
        `This attempt is ${attempt.state}; the map is drawn while its cluster is ready.`,
      );
    return this.clusters.netMap(attempt.kubeconfig, await this.labs.of(attempt));
  }

  private async existingOrRefuse(user: SessionUser, labSlug: string, live: number) {
    const mine = await this.store.listByUser(user.id);
    const same = mine.find((a) => a.labSlug === labSlug && !ENDED_STATES.includes(a.state));
    if (same) return same;
    throw new AppError(
      AppErrorCode.QUOTA_EXCEEDED,
      `You have ${live} labs running, the most allowed at once. Finish or abandon one of them, then start this one.`,
      { live, quota: this.config.attempts.perUserQuota },
    );
  }
}
