/** Why the terminal gateway refused a frame, a connection or a shell (sent in ERROR frames). */
export enum TerminalErrorCode {
  /** A frame the protocol does not define, or a payload that is not what its type needs. */
  BAD_FRAME = 'BAD_FRAME',
  /** RESIZE with sizes that are not whole numbers from 1 to 1000. */
  BAD_RESIZE = 'BAD_RESIZE',
  /** ACK of bytes never sent, or not a whole number. */
  BAD_ACK = 'BAD_ACK',
  /** The first frame was not HELLO, or HELLO came twice. */
  HELLO_REQUIRED = 'HELLO_REQUIRED',
  /** Input or resize from a read-only viewer (a supervising instructor). */
  READ_ONLY = 'READ_ONLY',
  /** The attempt already has as many terminals as it may. */
  TOO_MANY_TERMINALS = 'TOO_MANY_TERMINALS',
  /** The terminal has as many connections as it may. */
  TOO_MANY_CONNECTIONS = 'TOO_MANY_CONNECTIONS',
  /** The exec into the toolbox failed (pod gone, cluster unreachable). */
  EXEC_FAILED = 'EXEC_FAILED',
  /** The shell was closed by the server (idle grace period over, server stopping). */
  SHELL_CLOSED = 'SHELL_CLOSED',
}

/** A terminal protocol or shell failure, with its code; the message says what to do. */
export class TerminalError extends Error {
  constructor(
    readonly code: TerminalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}
