import { Logger } from '@nestjs/common';
import type WebSocket from 'ws';
import { SendWindow } from './flow-control';
import { TerminalError, TerminalErrorCode } from './terminal-error';
import {
  decodeClientFrame,
  encodeCommand,
  encodeData,
  encodeError,
  encodeStatus,
  FrameType,
  type ClientFrame,
  type CommandFrame,
} from './terminal-frame.codec';
import type { TerminalRegistry } from './terminal.registry';
import type { TerminalKey, TerminalSession, TerminalViewer } from './terminal-session';
import type { TerminalTarget } from './terminal-target';

const MAX_DATA_FRAME = 64 * 1024;
const PING_EVERY_MS = 30_000;
const DEFAULT_SIZE = { cols: 80, rows: 24 };

/**
 * One browser WebSocket on a terminal: the HELLO handshake, the connection's send window over the
 * session's replay buffer, and the refusal of a read-only viewer's keystrokes.
 */
export class TerminalConnection implements TerminalViewer {
  private static readonly log = new Logger('TerminalConnection');
  private session: TerminalSession | undefined;
  private window: SendWindow | undefined;
  private exitCode: number | null | undefined;
  private closed = false;
  private alive = true;
  private queue: Promise<void> = Promise.resolve();
  private readonly helloTimer: NodeJS.Timeout;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    readonly access: 'read-write' | 'read-only',
    private readonly key: TerminalKey,
    private readonly target: TerminalTarget,
    private readonly registry: TerminalRegistry,
  ) {
    // Frames are handled one after the other: those that arrive while HELLO opens the shell wait.
    ws.on('message', (data: Buffer, isBinary) => {
      this.queue = this.queue.then(() => this.receive(data, isBinary));
    });
    ws.on('close', () => this.closedByPeer());
    ws.on('error', () => ws.terminate());
    ws.on('pong', () => (this.alive = true));
    this.helloTimer = setTimeout(
      () =>
        this.fail(
          new TerminalError(TerminalErrorCode.HELLO_REQUIRED, 'no HELLO frame came within the time allowed'),
        ),
      registry.limits.helloTimeoutMs,
    );
    this.pinger = setInterval(() => {
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, PING_EVERY_MS);
  }

  outputAvailable(): void {
    const { session, window } = this;
    if (!session || !window || this.closed) return;
    while (window.room > 0 && window.next < session.buffer.end) {
      const slice = session.read(window.next, Math.min(window.room, MAX_DATA_FRAME));
      window.sent(slice.offset, slice.bytes.length);
      this.ws.send(encodeData(slice.offset, slice.bytes));
    }
    if (this.exitCode !== undefined && window.next >= session.buffer.end) {
      this.ws.send(encodeStatus({ state: 'exited', exitCode: this.exitCode, seq: session.buffer.end }));
      this.end(1000, 'shell exited');
    }
  }

  command(entry: CommandFrame): void {
    if (!this.closed) this.ws.send(encodeCommand(entry));
  }

  shellExited(exitCode: number | null): void {
    this.exitCode = exitCode;
    this.outputAvailable();
  }

  pauseInput(): void {
    if (this.access === 'read-write') this.ws.pause();
  }

  resumeInput(): void {
    if (this.access === 'read-write') this.ws.resume();
  }

  private async receive(data: Buffer, isBinary: boolean): Promise<void> {
    try {
      if (!isBinary)
        throw new TerminalError(TerminalErrorCode.BAD_FRAME, 'frames are binary: byte 0 is the type');
      const frame = decodeClientFrame(data);
      if (frame.type === FrameType.HELLO) return await this.hello(frame);
      if (!this.session)
        throw new TerminalError(TerminalErrorCode.HELLO_REQUIRED, 'the first frame must be HELLO');
      this.handle(frame, this.session);
    } catch (error) {
      if (!(error instanceof TerminalError)) {
        TerminalConnection.log.error(
          `terminal ${this.key.attemptId}/${this.key.terminalId}: ${String(error)}`,
        );
        return this.end(1011, 'internal error');
      }
      if (!this.session) this.fail(error);
      else if (!this.closed) this.ws.send(encodeError(error));
    }
  }

  private handle(frame: ClientFrame, session: TerminalSession): void {
    if ((frame.type === FrameType.DATA || frame.type === FrameType.RESIZE) && this.access === 'read-only')
      throw new TerminalError(
        TerminalErrorCode.READ_ONLY,
        'you are watching this terminal read-only: only the learner who owns the attempt can type',
      );
    if (frame.type === FrameType.DATA) session.input(frame.data);
    else if (frame.type === FrameType.RESIZE) session.resize(frame.size);
    else if (frame.type === FrameType.ACK) {
      this.window!.ack(frame.seq);
      if (this.access === 'read-write') session.acknowledge(frame.seq);
      this.outputAvailable();
    }
  }

  private async hello(frame: Extract<ClientFrame, { type: FrameType.HELLO }>): Promise<void> {
    if (this.session || this.window)
      throw new TerminalError(TerminalErrorCode.HELLO_REQUIRED, 'HELLO came twice');
    clearTimeout(this.helloTimer);
    this.ws.pause();
    let session: TerminalSession | undefined;
    try {
      session =
        this.access === 'read-write'
          ? await this.registry.open(this.key, this.target, frame.size ?? DEFAULT_SIZE)
          : this.registry.get(this.key);
    } finally {
      this.ws.resume();
    }
    if (this.closed) return;
    if (!session || session.ended)
      throw new TerminalError(
        TerminalErrorCode.SHELL_CLOSED,
        'this terminal has no shell any more; the learner can open a new one',
      );
    if (session.viewerCount >= this.registry.limits.maxConnectionsPerTerminal)
      throw new TerminalError(
        TerminalErrorCode.TOO_MANY_CONNECTIONS,
        `this terminal already has ${session.viewerCount} connections: close another tab showing it`,
      );
    const buffer = session.buffer;
    const resumed = frame.resumeFrom >= buffer.start && frame.resumeFrom <= buffer.end;
    const from = resumed ? frame.resumeFrom : buffer.start;
    this.window = new SendWindow(this.registry.limits.clientWindow, from);
    this.session = session;
    session.attach(this, from);
    if (frame.size && this.access === 'read-write') session.resize(frame.size);
    this.ws.send(
      encodeStatus({
        state: this.access === 'read-write' ? 'attached' : 'read-only',
        seq: buffer.end,
        from,
        resumed,
      }),
    );
    if (session.ended) this.exitCode = session.exitCode;
    this.outputAvailable();
  }

  private fail(error: TerminalError): void {
    if (this.closed) return;
    this.ws.send(encodeError(error));
    this.end(error.code === TerminalErrorCode.EXEC_FAILED ? 1011 : 1008, error.code);
  }

  private end(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
    this.cleanup();
  }

  private closedByPeer(): void {
    this.closed = true;
    this.cleanup();
  }

  private cleanup(): void {
    clearTimeout(this.helloTimer);
    clearInterval(this.pinger);
    this.session?.detach(this);
  }
}
