import { Inject, Injectable, Logger } from '@nestjs/common';
import { AttemptEventsBus } from './attempt-events.bus';
import { AttemptLabs } from './attempt-labs';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptRecord, CheckRunRecord } from './attempt.types';
import { attemptView, checkRunView, type AttemptView } from './attempt.view';

/** Queue positions of queued attempts, as the provisioning queue last computed them (1 = next). */
@Injectable()
export class QueuePositions {
  private positions = new Map<string, number>();

  get(attemptId: string): number | null {
    return this.positions.get(attemptId) ?? null;
  }

  /** Replaces the positions; returns the ids whose position changed. */
  replace(queued: string[]): string[] {
    const next = new Map(queued.map((id, i) => [id, i + 1]));
    const changed = queued.filter((id) => this.positions.get(id) !== next.get(id));
    this.positions = next;
    return changed;
  }
}

/** Builds attempt views and pushes them to the attempt's event stream. */
@Injectable()
export class AttemptNotifier {
  private readonly logger = new Logger('Attempts');

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
    @Inject(AttemptEventsBus) private readonly bus: AttemptEventsBus,
    @Inject(QueuePositions) private readonly positions: QueuePositions,
  ) {}

  async view(attempt: AttemptRecord): Promise<AttemptView> {
    const [lab, latestRun, hintUses] = await Promise.all([
      this.labs.of(attempt),
      this.store.latestCheckRun(attempt.id),
      this.store.listHintUses(attempt.id),
    ]);
    return attemptView({ attempt, lab, latestRun, hintUses, queuePosition: this.positions.get(attempt.id) });
  }

  /** Pushes the whole attempt to whoever is watching it (nothing is built when nobody is). */
  changed(attempt: AttemptRecord): void {
    if (!this.bus.hasListeners(attempt.id)) return;
    this.view(attempt).then(
      (view) => this.bus.publish(attempt.id, 'attempt', view),
      (error: unknown) => this.logger.warn(`could not push attempt ${attempt.id}: ${String(error)}`),
    );
  }

  checkRun(attempt: AttemptRecord, run: CheckRunRecord): void {
    this.bus.publish(attempt.id, 'check-run', checkRunView(run, attempt.examSittingId !== null));
  }

  warning(attemptId: string, expiresAt: Date, minutesLeft: number): void {
    this.bus.publish(attemptId, 'warning', {
      kind: 'expiry',
      expiresAt: expiresAt.toISOString(),
      minutesLeft,
    });
  }
}
