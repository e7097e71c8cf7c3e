/** The bounds of the terminal gateway (server/README.md, section Terminal, says why each). */
export interface TerminalLimits {
  /** Output kept per shell for replay on reconnect. */
  replayBytes: number;
  /** Unacknowledged output at which the shell is paused. */
  highWatermark: number;
  /** Unacknowledged output at which a paused shell resumes. */
  lowWatermark: number;
  /** Bytes one connection may have sent and not yet acknowledged. */
  clientWindow: number;
  /** How long a shell lives with nobody connected. */
  graceMs: number;
  /** How long the first frame (HELLO) may take. */
  helloTimeoutMs: number;
  /** How long bytes that might start a command-log marker are held back at most. */
  markerFlushMs: number;
  /** Input queued toward the shell at which the typing connections are paused. */
  maxPendingInput: number;
  maxTerminalsPerAttempt: number;
  maxConnectionsPerTerminal: number;
}

/** The defaults. */
export const DEFAULT_TERMINAL_LIMITS: TerminalLimits = {
  replayBytes: 256 * 1024,
  highWatermark: 128 * 1024,
  lowWatermark: 32 * 1024,
  clientWindow: 128 * 1024,
  graceMs: 15 * 60_000,
  helloTimeoutMs: 10_000,
  markerFlushMs: 25,
  maxPendingInput: 64 * 1024,
  // The sim allows 4 toolbox sessions per cluster; the same on every provider.
  maxTerminalsPerAttempt: 4,
  maxConnectionsPerTerminal: 8,
};
