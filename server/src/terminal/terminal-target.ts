import type { SessionUser } from '../auth/auth.types';

/** Where a terminal execs and with what rights; resolved by the attempts module. */
export interface TerminalTarget {
  attemptId: string;
  ownerId: string;
  /** Kubeconfig (YAML) of the attempt's cluster. */
  kubeconfig: string;
  namespace: string;
  pod: string;
  container: string;
  /** The owner types; a supervising instructor only watches. */
  access: 'read-write' | 'read-only';
}

/**
 * Resolves the terminal target of an attempt for a user; `null` when the attempt does not exist,
 * is not theirs to see, or has no running toolbox (the gateway then refuses before any exec).
 */
export interface TerminalTargetResolver {
  resolve(user: SessionUser, attemptId: string): Promise<TerminalTarget | null>;
  /** Tells the attempts layer the learner is active (resets the idle timer). */
  touch(attemptId: string): void;
  /** Records a command line run in the toolbox shell (the command log). */
  recordCommand(
    attemptId: string,
    terminalId: string,
    command: string,
    exitCode: number | null,
  ): Promise<void>;
}
/** Nest injection token of the {@link TerminalTargetResolver}. */
export const TERMINAL_TARGET_RESOLVER = Symbol('TerminalTargetResolver');
