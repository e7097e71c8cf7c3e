import type { CohortAccess, SessionResolver, SessionUser } from '../../auth/auth.types';
import type { ShellChannel, ShellConnector, ShellHandlers } from '../shell-connector';
import type { TerminalSize } from '../terminal-frame.codec';
import type { TerminalTarget, TerminalTargetResolver } from '../terminal-target';

/** A user factory for tests. */
export function aUser(id: string, role: SessionUser['role'] = 'learner'): SessionUser {
  return { id, email: `${id}@example.test`, displayName: id, role };
}

/** Sessions by cookie `netlab_session=<user id>`; anything else is signed out. */
export class FakeSessionResolver implements SessionResolver {
  private readonly users = new Map<string, SessionUser>();

  add(user: SessionUser): string {
    this.users.set(user.id, user);
    return `netlab_session=${user.id}`;
  }

  async fromCookieHeader(cookieHeader: string | undefined): Promise<SessionUser | null> {
    const m = /(?:^|;\s*)netlab_session=([^;]+)/.exec(cookieHeader ?? '');
    return (m && this.users.get(m[1]!)) ?? null;
  }
}

/** Instructor → learners they supervise. */
export class FakeCohortAccess implements CohortAccess {
  readonly supervises = new Map<string, Set<string>>();

  async canSupervise(viewer: SessionUser, learnerId: string): Promise<boolean> {
    return this.supervises.get(viewer.id)?.has(learnerId) ?? false;
  }
}

/** Attempts with a toolbox, and the command log and touches they received. */
export class FakeTargetResolver implements TerminalTargetResolver {
  readonly attempts = new Map<string, Omit<TerminalTarget, 'access'>>();
  readonly commands: Array<{
    attemptId: string;
    terminalId: string;
    command: string;
    exitCode: number | null;
  }> = [];
  touches = 0;

  constructor(private readonly cohorts: FakeCohortAccess) {}

  async resolve(user: SessionUser, attemptId: string): Promise<TerminalTarget | null> {
    const a = this.attempts.get(attemptId);
    if (!a) return null;
    if (a.ownerId === user.id) return { ...a, access: 'read-write' };
    if (await this.cohorts.canSupervise(user, a.ownerId)) return { ...a, access: 'read-only' };
    return null;
  }

  touch(): void {
    this.touches++;
  }

  async recordCommand(
    attemptId: string,
    terminalId: string,
    command: string,
    exitCode: number | null,
  ): Promise<void> {
    this.commands.push({ attemptId, terminalId, command, exitCode });
  }
}

/** A shell the test drives: it sees what was typed and emits what the test says. */
export class FakeShell implements ShellChannel {
  readonly typed: Buffer[] = [];
  readonly sizes: TerminalSize[] = [];
  paused = false;
  closed = false;
  pendingInput = 0;

  constructor(private readonly handlers: ShellHandlers) {}

  write(data: Buffer): void {
    this.typed.push(data);
  }

  resize(size: TerminalSize): void {
    this.sizes.push(size);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.exit(null, 'closed');
  }

  /** Emits output as the toolbox would. */
  emit(text: string | Buffer): void {
    this.handlers.output(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  }

  /** Ends with an exit status. */
  exit(code: number): void {
    this.closed = true;
    this.handlers.exit(code);
  }
}

/** Opens {@link FakeShell}s and remembers them; `failWith` makes the next open fail. */
export class FakeShellConnector implements ShellConnector {
  readonly shells: FakeShell[] = [];
  readonly opened: Array<{ target: TerminalTarget; size: TerminalSize }> = [];
  failWith: Error | undefined;

  async open(target: TerminalTarget, size: TerminalSize, handlers: ShellHandlers): Promise<ShellChannel> {
    this.opened.push({ target, size });
    if (this.failWith) throw this.failWith;
    const shell = new FakeShell(handlers);
    this.shells.push(shell);
    return shell;
  }
}
