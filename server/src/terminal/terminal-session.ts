import { Logger } from '@nestjs/common';
import { CommandMarkerParser, type CommandMarker } from './command-marker.parser';
import { WatermarkValve } from './flow-control';
import { ReplayBuffer, type ReplaySlice } from './replay-buffer';
import type { ShellChannel, ShellConnector } from './shell-connector';
import type { TerminalLimits } from './terminal-limits';
import type { CommandFrame, TerminalSize } from './terminal-frame.codec';
import type { TerminalTarget, TerminalTargetResolver } from './terminal-target';
import { terminalMetrics } from './terminal.metrics';

/** A connection attached to a session, as the session sees it. */
export interface TerminalViewer {
  readonly access: 'read-write' | 'read-only';
  /** New output is in the buffer: send what the window allows. */
  outputAvailable(): void;
  command(entry: CommandFrame): void;
  /** The shell ended; send the rest of the output, then the exit status. */
  shellExited(exitCode: number | null): void;
  /** Stop / start reading keystrokes (the shell's input queue is full / drained). */
  pauseInput(): void;
  resumeInput(): void;
}

/** Where a session lives: attempt and terminal id. */
export interface TerminalKey {
  attemptId: string;
  terminalId: string;
}

const TOUCH_EVERY_MS = 15_000;

/**
 * One shell in an attempt's toolbox and everything that outlives a WebSocket: the replay buffer,
 * the command-log parser, the flow-control valve, the attached viewers and the idle grace timer.
 */
export class TerminalSession {
  private static readonly log = new Logger('TerminalSession');
  readonly buffer: ReplayBuffer;
  readonly startedAt = new Date();
  private readonly parser = new CommandMarkerParser();
  private readonly viewers = new Set<TerminalViewer>();
  private valve: WatermarkValve | undefined;
  private shell!: ShellChannel;
  private ownerAcked = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private lastTouch = 0;
  private exit: { code: number | null } | undefined;
  private readonly onEnd: Array<() => void> = [];

  private constructor(
    readonly key: TerminalKey,
    private readonly limits: TerminalLimits,
    private readonly targets: TerminalTargetResolver,
  ) {
    this.buffer = new ReplayBuffer(limits.replayBytes);
  }

  /** Opens the shell; rejects (EXEC_FAILED is the caller's to say) when the exec fails. */
  static async open(
    key: TerminalKey,
    target: TerminalTarget,
    size: TerminalSize,
    deps: { connector: ShellConnector; targets: TerminalTargetResolver; limits: TerminalLimits },
  ): Promise<TerminalSession> {
    const session = new TerminalSession(key, deps.limits, deps.targets);
    session.shell = await deps.connector.open(target, size, {
      output: (chunk) => session.output(chunk),
      inputDrained: () => session.viewers.forEach((v) => v.resumeInput()),
      exit: (code, reason) => session.exited(code, reason),
    });
    session.valve = new WatermarkValve(deps.limits.highWatermark, deps.limits.lowWatermark, {
      pause: () => {
        terminalMetrics.pauses.inc();
        session.shell.pause();
      },
      resume: () => session.shell.resume(),
    });
    terminalMetrics.shells.inc();
    session.startGrace();
    return session;
  }

  /** Whether the shell has ended. */
  get ended(): boolean {
    return this.exit !== undefined;
  }

  /** The exit status once ended. */
  get exitCode(): number | null {
    return this.exit?.code ?? null;
  }

  /** Whether the shell is paused by flow control now. */
  get paused(): boolean {
    return this.valve?.paused ?? false;
  }

  /** Connections attached now. */
  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Calls `fn` once the shell has ended. */
  whenEnded(fn: () => void): void {
    if (this.exit) fn();
    else this.onEnd.push(fn);
  }

  /** Attaches a connection that has rendered up to `resumeFrom` (its HELLO). */
  attach(viewer: TerminalViewer, resumeFrom: number): void {
    this.viewers.add(viewer);
    terminalMetrics.connections.inc();
    clearTimeout(this.graceTimer);
    if (viewer.access === 'read-write') this.acknowledge(Math.min(resumeFrom, this.buffer.end));
  }

  detach(viewer: TerminalViewer): void {
    if (!this.viewers.delete(viewer)) return;
    terminalMetrics.connections.dec();
    if (this.viewers.size === 0 && !this.exit) this.startGrace();
  }

  /** Reads output for a viewer. */
  read(from: number, max: number): ReplaySlice {
    return this.buffer.read(from, max);
  }

  /** The owner rendered output up to `seq`: the valve may let the shell go on. */
  acknowledge(seq: number): void {
    if (seq > this.ownerAcked) this.ownerAcked = seq;
    if (!this.exit) this.valve?.update(this.buffer.end, this.ownerAcked);
  }

  /** Keystrokes from the owner. */
  input(data: Buffer): void {
    if (this.exit || data.length === 0) return;
    terminalMetrics.inputBytes.inc(data.length);
    this.shell.write(data);
    if (this.shell.pendingInput > this.limits.maxPendingInput) this.viewers.forEach((v) => v.pauseInput());
    const now = Date.now();
    if (now - this.lastTouch >= TOUCH_EVERY_MS) {
      this.lastTouch = now;
      this.targets.touch(this.key.attemptId);
    }
  }

  resize(size: TerminalSize): void {
    if (!this.exit) this.shell.resize(size);
  }

  /** Ends the shell (idle, or the server stopping). */
  close(): void {
    if (!this.exit) this.shell.close();
  }

  private output(chunk: Buffer): void {
    clearTimeout(this.flushTimer);
    const { output, markers } = this.parser.feed(chunk);
    this.append(output);
    for (const m of markers) this.record(m);
    if (this.parser.holding)
      this.flushTimer = setTimeout(() => this.append(this.parser.flush()), this.limits.markerFlushMs);
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    terminalMetrics.outputBytes.inc(bytes.length);
    this.buffer.append(bytes);
    if (!this.exit) this.valve?.update(this.buffer.end, this.ownerAcked);
    for (const v of this.viewers) v.outputAvailable();
  }

  private record(marker: CommandMarker): void {
    const entry: CommandFrame = {
      command: marker.command,
      exitCode: marker.exitCode,
      at: new Date().toISOString(),
    };
    terminalMetrics.commands.inc();
    for (const v of this.viewers) v.command(entry);
    this.targets
      .recordCommand(this.key.attemptId, this.key.terminalId, marker.command, marker.exitCode)
      .catch((error: unknown) =>
        TerminalSession.log.warn(
          `command log of attempt ${this.key.attemptId} lost a line: ${(error as Error).message}`,
        ),
      );
  }

  private exited(code: number | null, reason?: string): void {
    if (this.exit) return;
    clearTimeout(this.flushTimer);
    clearTimeout(this.graceTimer);
    this.append(this.parser.flush());
    this.exit = { code };
    terminalMetrics.shells.dec();
    if (reason && code === null)
      TerminalSession.log.log(`shell ${this.key.attemptId}/${this.key.terminalId} ended: ${reason}`);
    for (const v of this.viewers) v.shellExited(code);
    for (const fn of this.onEnd.splice(0)) fn();
  }

  private startGrace(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => this.close(), this.limits.graceMs);
    this.graceTimer.unref();
  }
}
