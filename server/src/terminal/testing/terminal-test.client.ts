import WebSocket from 'ws';
import {
  FrameType,
  TERMINAL_SUBPROTOCOL,
  type CommandFrame,
  type TerminalStatus,
} from '../terminal-frame.codec';

/** How a test or benchmark client behaves. */
export interface TerminalTestClientOptions {
  cookie?: string;
  origin?: string;
  /** ACK every DATA frame as soon as it arrives (default true); false leaves acking to the caller. */
  autoAck?: boolean;
  /** Keep the rendered output for {@link TerminalTestClient.output} (default true; off for floods). */
  keepOutput?: boolean;
  /** Sees every rendered chunk. */
  onData?: (bytes: Buffer) => void;
}

/** Refusal of the upgrade: the HTTP status and JSON body the server answered. */
export interface UpgradeRefused {
  status: number;
  body: { code: string; message: string };
}

/**
 * A terminal client speaking `netlab.terminal.v1` as the browser does, for specs and the
 * benchmark: it checks that DATA offsets are contiguous (no loss, no duplicate) and keeps
 * everything it rendered.
 */
export class TerminalTestClient {
  readonly statuses: TerminalStatus[] = [];
  readonly errors: Array<{ code: string; message: string }> = [];
  readonly commands: CommandFrame[] = [];
  /** Protocol breaches seen (a DATA frame not starting where the last one ended). */
  readonly violations: string[] = [];
  /** Offset one past the last byte rendered. */
  rendered = 0;
  /** Bytes received in DATA frames and not acknowledged yet. */
  unacked = 0;
  private chunks: Buffer[] = [];
  private text = '';
  private readonly waiters = new Set<() => void>();
  closed: { code: number; reason: string } | undefined;

  private constructor(
    readonly ws: WebSocket,
    private readonly options: TerminalTestClientOptions,
  ) {
    ws.on('message', (data: Buffer) => this.receive(data));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /** Connects; rejects with an {@link UpgradeRefused} when the server refuses the upgrade. */
  static connect(url: string, options: TerminalTestClientOptions = {}): Promise<TerminalTestClient> {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    const ws = new WebSocket(url, [TERMINAL_SUBPROTOCOL], { headers, perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TerminalTestClient(ws, options)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          reject({ status: res.statusCode ?? 0, body: JSON.parse(body || '{}') } satisfies UpgradeRefused),
        );
      });
      ws.once('error', reject);
    });
  }

  /** Sends HELLO and waits for the first STATUS. */
  async hello(resumeFrom = 0, size?: { cols: number; rows: number }): Promise<TerminalStatus> {
    this.rendered = resumeFrom;
    this.send(FrameType.HELLO, JSON.stringify({ resumeFrom, ...size }));
    await this.until(() => this.statuses.length > 0 || !!this.closed, 30_000, 'the first STATUS');
    if (!this.statuses[0])
      throw new Error(`closed before STATUS: ${JSON.stringify(this.closed)} ${JSON.stringify(this.errors)}`);
    return this.statuses[0];
  }

  /** Types text (a DATA frame). */
  type(text: string | Buffer): void {
    this.send(FrameType.DATA, typeof text === 'string' ? Buffer.from(text) : text);
  }

  resize(cols: number, rows: number): void {
    this.send(FrameType.RESIZE, JSON.stringify({ cols, rows }));
  }

  /** Acknowledges everything rendered. */
  ack(): void {
    this.unacked = 0;
    this.send(FrameType.ACK, JSON.stringify({ seq: this.rendered }));
  }

  /** Everything rendered since the HELLO, as text. */
  get output(): string {
    if (this.chunks.length) {
      this.text += Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      // Without keepOutput only a tail is kept, enough to wait for a prompt.
      if (this.options.keepOutput === false) this.text = this.text.slice(-4096);
    }
    return this.text;
  }

  /** Forgets the output so far (the next waits look only at new output). */
  clearOutput(): void {
    this.chunks = [];
    this.text = '';
  }

  /** Waits until the output matches. */
  async waitFor(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const test = (): boolean =>
      typeof pattern === 'string' ? this.output.includes(pattern) : pattern.test(this.output);
    await this.until(test, timeoutMs, `output matching ${String(pattern)}`);
    return this.output;
  }

  /** Waits for a condition re-checked on every frame. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // Re-checked on every frame, and every 20 ms for conditions on the server's side.
      const poll = setInterval(() => check(), 20);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; output tail: ${JSON.stringify(this.output.slice(-300))}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  /** Sends any frame, valid or not. */
  send(type: FrameType, payload: string | Buffer): void {
    this.ws.send(
      Buffer.concat([Buffer.from([type]), typeof payload === 'string' ? Buffer.from(payload) : payload]),
    );
  }

  private receive(frame: Buffer): void {
    const type = frame[0];
    if (type === FrameType.DATA) {
      const offset = Number(frame.readBigUInt64BE(1));
      const bytes = frame.subarray(9);
      if (offset !== this.rendered) {
        this.violations.push(
          `DATA at offset ${offset} after ${this.rendered} bytes rendered: output lost or duplicated`,
        );
        return this.wake();
      }
      this.chunks.push(bytes);
      if (this.options.keepOutput === false && this.chunks.length > 64) void this.output;
      this.options.onData?.(bytes);
      this.rendered += bytes.length;
      this.unacked += bytes.length;
      if (this.options.autoAck !== false) this.ack();
    } else {
      const body = JSON.parse(frame.subarray(1).toString('utf8'));
      if (type === FrameType.STATUS) this.statuses.push(body);
      else if (type === FrameType.ERROR) this.errors.push(body);
      else if (type === FrameType.COMMAND) this.commands.push(body);
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
