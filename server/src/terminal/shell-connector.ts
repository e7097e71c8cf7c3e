import type { TerminalSize } from './terminal-frame.codec';
import type { Pausable } from './flow-control';
import type { TerminalTarget } from './terminal-target';

/** What a shell tells its session. */
export interface ShellHandlers {
  /** Output bytes (stdout and stderr merged by the TTY). */
  output(chunk: Buffer): void;
  /** Input queued earlier has been handed to the transport; more may be written. */
  inputDrained(): void;
  /** The shell ended: its exit status when known, and why in words when it failed. */
  exit(exitCode: number | null, reason?: string): void;
}

/** A running shell in the toolbox. */
export interface ShellChannel extends Pausable {
  /** Sends keystrokes. */
  write(data: Buffer): void;
  /** Input bytes written and not yet handed to the transport. */
  readonly pendingInput: number;
  resize(size: TerminalSize): void;
  /** Ends the shell (closes the exec stream); `exit` follows. */
  close(): void;
}

/** Opens an interactive shell in a terminal target (the toolbox container), with a TTY of `size`. */
export interface ShellConnector {
  open(target: TerminalTarget, size: TerminalSize, handlers: ShellHandlers): Promise<ShellChannel>;
}

/** Nest injection token of the {@link ShellConnector}. */
export const SHELL_CONNECTOR = Symbol('ShellConnector');
