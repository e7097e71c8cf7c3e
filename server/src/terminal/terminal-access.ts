import type { CohortAccess, SessionResolver } from '../auth/auth.types';
import type { TerminalRegistry } from './terminal.registry';
import type { TerminalKey } from './terminal-session';
import type { TerminalTarget, TerminalTargetResolver } from './terminal-target';
import { TERMINAL_SUBPROTOCOL } from './terminal-frame.codec';

/** An upgrade refused with an HTTP status, before any exec starts. */
export class UpgradeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpgradeRefusal';
  }
}

/** Who attaches to which shell, and how. */
export interface TerminalGrant {
  key: TerminalKey;
  target: TerminalTarget;
  access: 'read-write' | 'read-only';
}

const PATH = /^\/api\/attempts\/([^/]+)\/terminals\/([^/]+)\/ws$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TERMINAL_ID = /^[a-z0-9-]{1,32}$/;

/** The request headers the decision reads. */
export interface UpgradeRequest {
  url: string;
  headers: { origin?: string; host?: string; cookie?: string; 'sec-websocket-protocol'?: string };
}

/**
 * Decides a terminal upgrade: the path, the subprotocol, the Origin (the public URL's, or the
 * Host's own), the session cookie, and the attempt: its owner types, an instructor supervising
 * the owner watches an open terminal, anyone else gets 404 as for any attempt not theirs.
 */
export class TerminalAccess {
  private readonly publicOrigin: string;

  constructor(
    private readonly sessions: SessionResolver,
    private readonly cohorts: CohortAccess,
    private readonly targets: TerminalTargetResolver,
    private readonly registry: TerminalRegistry,
    publicUrl: string,
  ) {
    this.publicOrigin = new URL(publicUrl).origin;
  }

  /** Whether the path is a terminal's (other upgrades are not this gateway's business). */
  static matches(url: string): boolean {
    return PATH.test(url.split('?')[0]!);
  }

  /** The grant, or an UpgradeRefusal with the status and a sentence saying what to do. */
  async decide(req: UpgradeRequest): Promise<TerminalGrant> {
    const [, attemptId = '', terminalId = ''] = PATH.exec(req.url.split('?')[0]!) ?? [];
    if (!UUID.test(attemptId)) throw new UpgradeRefusal(404, 'NOT_FOUND', 'no such attempt');
    if (!TERMINAL_ID.test(terminalId))
      throw new UpgradeRefusal(
        400,
        'VALIDATION_FAILED',
        `terminal id "${terminalId.slice(0, 40)}" must be 1 to 32 of a-z, 0-9 and "-", e.g. t1`,
      );
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(TERMINAL_SUBPROTOCOL))
      throw new UpgradeRefusal(
        400,
        'VALIDATION_FAILED',
        `ask for the WebSocket subprotocol ${TERMINAL_SUBPROTOCOL}`,
      );
    if (!this.originAllowed(req.headers.origin, req.headers.host))
      throw new UpgradeRefusal(
        403,
        'ORIGIN_NOT_ALLOWED',
        `Origin ${req.headers.origin ?? '(none)'} may not open terminals: open netlab at ${this.publicOrigin}`,
      );
    const user = await this.sessions.fromCookieHeader(req.headers.cookie);
    if (!user) throw new UpgradeRefusal(401, 'UNAUTHENTICATED', 'sign in to open a terminal');
    const target = await this.targets.resolve(user, attemptId);
    if (!target)
      throw new UpgradeRefusal(404, 'NOT_FOUND', 'no such attempt, or it has no running toolbox yet');
    const key = { attemptId, terminalId };
    if (target.ownerId !== user.id) {
      if (!(await this.cohorts.canSupervise(user, target.ownerId)))
        throw new UpgradeRefusal(404, 'NOT_FOUND', 'no such attempt, or it has no running toolbox yet');
      if (!this.registry.get(key))
        throw new UpgradeRefusal(
          404,
          'TERMINAL_NOT_OPEN',
          `the learner has no terminal ${terminalId} open now`,
        );
      return { key, target, access: 'read-only' };
    }
    if (
      !this.registry.get(key) &&
      this.registry.countFor(attemptId) >= this.registry.limits.maxTerminalsPerAttempt
    )
      throw new UpgradeRefusal(
        409,
        'TOO_MANY_TERMINALS',
        `this attempt already has ${this.registry.limits.maxTerminalsPerAttempt} terminals open: close one (type exit) first`,
      );
    return { key, target, access: target.access };
  }

  private originAllowed(origin: string | undefined, host: string | undefined): boolean {
    if (!origin) return false;
    if (origin === this.publicOrigin) return true;
    try {
      return !!host && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
}
