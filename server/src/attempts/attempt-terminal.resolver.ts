import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/auth.types';
import { CLOCK, type Clock } from '../common/clock';
import { TOOLBOX } from '../clusters/toolbox';
import type { TerminalTarget, TerminalTargetResolver } from '../terminal/terminal-target';
import { AttemptAccess } from './attempt-access';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';

/** Activity is written at most this often per attempt (keystrokes come many per second). */
const TOUCH_EVERY_MS = 30_000;
/** A command line kept in the log is cut to this length. */
const MAX_COMMAND = 4096;

/** TERMINAL_TARGET_RESOLVER: the toolbox pod of a ready attempt; the owner types, a supervisor watches. */
@Injectable()
export class AttemptTerminalResolver implements TerminalTargetResolver {
  private readonly touched = new Map<string, number>();

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(AttemptAccess) private readonly access: AttemptAccess,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async resolve(user: SessionUser, attemptId: string): Promise<TerminalTarget | null> {
    const seen = await this.access.readable(user, attemptId).catch(() => null);
    if (!seen) return null;
    const a = seen.attempt;
    if (a.state !== 'ready' || !a.kubeconfig || !a.toolboxPod || !a.toolboxNamespace) return null;
    return {
      attemptId: a.id,
      ownerId: a.userId,
      kubeconfig: a.kubeconfig,
      namespace: a.toolboxNamespace,
      pod: a.toolboxPod,
      container: TOOLBOX.container,
      access: seen.owner ? 'read-write' : 'read-only',
    };
  }

  touch(attemptId: string): void {
    const now = this.clock.now();
    if (now.getTime() - (this.touched.get(attemptId) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(attemptId, now.getTime());
    if (this.touched.size > 10_000) this.touched.clear();
    void this.store.touch(attemptId, now).catch(() => undefined);
  }

  async recordCommand(
    attemptId: string,
    terminalId: string,
    command: string,
    exitCode: number | null,
  ): Promise<void> {
    await this.store.addCommand(attemptId, {
      terminalId,
      command: command.slice(0, MAX_COMMAND),
      exitCode,
      at: this.clock.now(),
    });
  }
}
