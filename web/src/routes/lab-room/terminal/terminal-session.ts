import { backoffDelay } from '../../../components/backoff';
import {
  decodeServerFrame,
  encodeAck,
  encodeData,
  encodeHello,
  encodeResize,
  TERMINAL_SUBPROTOCOL,
  unseenPart,
} from './terminal-frames';

/** What the tab shows about its connection. */
export type SessionState =
  | { kind: 'connecting' }
  | { kind: 'replaying' }
  | { kind: 'attached'; readOnly: boolean }
  | { kind: 'reconnecting'; inMs: number; tries: number }
  | { kind: 'exited'; exitCode: number | null }
  | { kind: 'failed'; message: string };

/** What the session needs from the screen it feeds. */
export interface SessionScreen {
  /** Shows output; calls `rendered` once the bytes are on screen (that is what we acknowledge). */
  write(bytes: Uint8Array, rendered: () => void): void;
  /** Clears the screen: the server starts this connection's output afresh. */
  reset(): void;
  onState(state: SessionState): void;
  onCommand?(command: string, exitCode: number | null): void;
}

/** Errors after which reconnecting cannot help (only a failed exec is worth retrying; READ_ONLY just refuses input). */
const RETRYABLE = new Set(['EXEC_FAILED', 'READ_ONLY']);
const ACK_EVERY_BYTES = 16 * 1024;
const ACK_AFTER_MS = 25;
const MAX_QUEUED_INPUT = 4096;
const OPEN = 1; // WebSocket.OPEN

/**
 * One terminal tab's link to its shell: the binary protocol, acknowledgements of rendered bytes
 * (the server's flow control), and reconnect with resume by byte offset so a dropped network or a
 * reload neither loses nor repeats output. Like xterm's addon-attach, but resumable.
 */
export class TerminalSession {
  private ws: WebSocket | null = null;
  private received = 0; // next output offset we expect
  private rendered = 0; // output offset on screen
  private acked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private tries = 0;
  private disposed = false;
  private stopped = false;
  private size: { cols: number; rows: number } | null = null;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private readOnly = false;

  constructor(
    private readonly url: string,
    private readonly screen: SessionScreen,
    private readonly openSocket: (url: string, protocol: string) => WebSocket = (u, p) => new WebSocket(u, p),
  ) {}

  connect(): void {
    if (this.disposed) return;
    this.stopped = false;
    this.screen.onState(
      this.tries ? { kind: 'reconnecting', inMs: 0, tries: this.tries } : { kind: 'connecting' },
    );
    const ws = this.openSocket(this.url, TERMINAL_SUBPROTOCOL);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      ws.send(encodeHello(this.received, this.size));
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') return;
      this.onFrame(event.data as ArrayBuffer);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.disposed && !this.stopped) this.scheduleReconnect();
    };
  }

  /** Keystrokes and pasted text; kept briefly while reconnecting, dropped when read-only. */
  send(input: string): void {
    if (this.readOnly || this.stopped) return;
    const frame = encodeData(input);
    if (this.ws?.readyState === OPEN && !this.queued.length) {
      this.ws.send(frame);
      return;
    }
    if (this.queuedBytes + frame.length > MAX_QUEUED_INPUT) return;
    this.queued.push(frame);
    this.queuedBytes += frame.length;
  }

  resize(cols: number, rows: number): void {
    if (this.size?.cols === cols && this.size.rows === rows) return;
    this.size = { cols, rows };
    if (this.ws?.readyState === OPEN) this.ws.send(encodeResize(cols, rows));
  }

  /** Reconnect now (the learner pressed "Reconnect" or the network came back). */
  retryNow(): void {
    if (this.disposed || this.ws) return;
    globalThis.clearTimeout(this.retryTimer);
    this.connect();
  }

  dispose(): void {
    this.disposed = true;
    globalThis.clearTimeout(this.retryTimer);
    globalThis.clearTimeout(this.ackTimer);
    this.ws?.close(1000, 'tab closed');
    this.ws = null;
  }

  private onFrame(buffer: ArrayBuffer): void {
    const msg = decodeServerFrame(buffer);
    switch (msg.type) {
      case 'data': {
        const fresh = unseenPart(msg.offset, msg.bytes, this.received);
        this.received = fresh.end;
        if (fresh.bytes.length === 0) return;
        const end = fresh.end;
        // Copy: the frame's buffer is not ours to keep while xterm parses asynchronously.
        this.screen.write(fresh.bytes.slice(), () => this.onRendered(end));
        return;
      }
      case 'status': {
        const s = msg.status;
        if (s.state === 'exited') {
          this.stopped = true;
          this.screen.onState({ kind: 'exited', exitCode: s.exitCode ?? null });
          return;
        }
        if (s.state === 'replaying') {
          this.screen.onState({ kind: 'replaying' });
          return;
        }
        this.tries = 0;
        if (s.resumed === false) {
          // Not the output we had (a new shell, or older output trimmed): start the screen over.
          this.screen.reset();
          this.received = this.rendered = this.acked = s.from ?? 0;
        }
        this.readOnly = s.state === 'read-only';
        this.screen.onState({ kind: 'attached', readOnly: this.readOnly });
        this.flushQueued();
        return;
      }
      case 'error':
        if (!RETRYABLE.has(msg.code)) {
          this.stopped = true;
          this.screen.onState({ kind: 'failed', message: msg.message });
        }
        return;
      case 'command':
        this.screen.onCommand?.(msg.command, msg.exitCode);
        return;
    }
  }

  private flushQueued(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    for (const frame of this.queued) ws.send(frame);
    this.queued = [];
    this.queuedBytes = 0;
  }

  private onRendered(end: number): void {
    this.rendered = Math.max(this.rendered, end);
    if (this.rendered - this.acked >= ACK_EVERY_BYTES) {
      this.sendAck();
      return;
    }
    if (this.ackTimer === undefined)
      this.ackTimer = globalThis.setTimeout(() => this.sendAck(), ACK_AFTER_MS);
  }

  private sendAck(): void {
    globalThis.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.ws?.readyState !== OPEN || this.rendered === this.acked) return;
    this.acked = this.rendered;
    this.ws.send(encodeAck(this.rendered));
  }

  private scheduleReconnect(): void {
    const inMs = backoffDelay(this.tries);
    this.tries += 1;
    // After a reconnect the server counts acknowledgements from scratch for the new socket.
    this.acked = Math.min(this.acked, this.rendered);
    this.screen.onState({ kind: 'reconnecting', inMs, tries: this.tries });
    this.retryTimer = globalThis.setTimeout(() => this.connect(), inMs);
  }
}
