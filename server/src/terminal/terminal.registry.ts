import type { ShellConnector } from './shell-connector';
import { TerminalError, TerminalErrorCode } from './terminal-error';
import type { TerminalSize } from './terminal-frame.codec';
import type { TerminalLimits } from './terminal-limits';
import { TerminalSession, type TerminalKey } from './terminal-session';
import type { TerminalTarget, TerminalTargetResolver } from './terminal-target';

const id = (key: TerminalKey): string => `${key.attemptId}/${key.terminalId}`;

/**
 * The live shells, by attempt and terminal id: a reconnect finds its shell here, two tabs opening
 * the same id at once share one shell, and an attempt has at most `maxTerminalsPerAttempt`.
 */
export class TerminalRegistry {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly opening = new Map<string, Promise<TerminalSession>>();

  constructor(
    private readonly connector: ShellConnector,
    private readonly targets: TerminalTargetResolver,
    readonly limits: TerminalLimits,
  ) {}

  /** The live shell of that terminal, if any. */
  get(key: TerminalKey): TerminalSession | undefined {
    return this.sessions.get(id(key));
  }

  /** Live and starting shells of an attempt. */
  countFor(attemptId: string): number {
    let n = 0;
    for (const k of [...this.sessions.keys(), ...this.opening.keys()]) if (k.startsWith(`${attemptId}/`)) n++;
    return n;
  }

  /** The terminal's shell, opened now (with `size`) when it has none. */
  async open(key: TerminalKey, target: TerminalTarget, size: TerminalSize): Promise<TerminalSession> {
    const k = id(key);
    const live = this.sessions.get(k);
    if (live) return live;
    const starting = this.opening.get(k);
    if (starting) return starting;
    if (this.countFor(key.attemptId) >= this.limits.maxTerminalsPerAttempt)
      throw new TerminalError(
        TerminalErrorCode.TOO_MANY_TERMINALS,
        `this attempt already has ${this.limits.maxTerminalsPerAttempt} terminals open: close one (type exit) and try again`,
      );
    const promise = TerminalSession.open(key, target, size, {
      connector: this.connector,
      targets: this.targets,
      limits: this.limits,
    });
    this.opening.set(k, promise);
    try {
      const session = await promise;
      this.sessions.set(k, session);
      session.whenEnded(() => {
        if (this.sessions.get(k) === session) this.sessions.delete(k);
      });
      return session;
    } catch (error) {
      throw new TerminalError(
        TerminalErrorCode.EXEC_FAILED,
        `the toolbox shell did not start: ${(error as Error).message}. Wait for the attempt to be ready, then reload`,
      );
    } finally {
      this.opening.delete(k);
    }
  }

  /** The live shells (for listing and shutdown). */
  list(): TerminalSession[] {
    return [...this.sessions.values()];
  }

  /** Ends every shell of an attempt (it ended or was reset). */
  closeAttempt(attemptId: string): void {
    for (const s of this.sessions.values()) if (s.key.attemptId === attemptId) s.close();
  }

  /** Ends every shell (the server is stopping). */
  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
  }
}
