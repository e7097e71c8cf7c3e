import type { IDisposable, ITerminalAddon, Terminal } from '@xterm/xterm';

/** Time for the addon; the default is the browser's, tests pass their own. */
export interface EchoClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: EchoClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A prompt asking for a secret: never draw what is typed there, not even for one round trip. */
const SECRET_PROMPT = /(password|passphrase|passwd)[^:]*:\s*$/i;
const EMPTY = new Uint8Array(0);

/**
 * Predictive local echo, like VS Code's terminal (`terminal.integrated.localEchoEnabled`): a
 * printable key typed at the end of the shell's input line is drawn at once, then reconciled with
 * what the shell echoes. A matching echo confirms it (not drawn twice); anything else, or no echo
 * within a few round trips, erases the predictions first, so the screen ends exactly as without
 * them. Predictions are drawn with the terminal's own pen, so a confirmed one is already what the
 * echo would draw.
 *
 * Conservative by design: only printable ASCII, only on the normal screen (not in vim, less, top),
 * only with nothing right of the cursor, nothing across a line end or after a non-printable key
 * (Enter, Ctrl-…, arrows, paste) until the earlier predictions are settled, and not again after a
 * key the shell did not echo as typed (a password, `stty -echo`, a program reading raw keys) until
 * a later key comes back verbatim.
 */
export class PredictiveEchoAddon implements ITerminalAddon {
  private term: Terminal | null = null;
  private resizeListener: IDisposable | null = null;
  /** Drawn, unconfirmed keys (ASCII codes), oldest first, with when each was typed. */
  private pending: { code: number; at: number }[] = [];
  /**
   * Where the next predicted key goes while that is known without reading the buffer (xterm parses
   * writes later): set when a chain of predictions starts, null after anything else was sent or drawn.
   */
  private column: number | null = null;
  /** Writes handed to xterm and not parsed yet: the buffer tells the truth only when 0. */
  private inFlight = 0;
  /** Did the shell echo the last key we could check? */
  private echoing = true;
  /** While not echoing: the first key typed since, to see whether the shell echoes it. */
  private probe: number | null = null;
  private timer: unknown = null;
  private smoothedRtt: number | null = null;
  private active = false;
  private enabled = true;

  constructor(private readonly clock: EchoClock = browserClock) {}

  activate(terminal: Terminal): void {
    this.term = terminal;
    this.resizeListener = terminal.onResize(() => this.rollback());
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.resizeListener?.dispose();
    this.term = null;
  }

  /** Predict only while attached to a shell that takes our input (not replaying, not read-only). */
  setActive(active: boolean): void {
    this.active = active;
    if (!active) this.rollback();
  }

  /** The learner's preference (on by default). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.rollback();
  }

  /** The number of keys drawn and not yet confirmed (for tests and the bench). */
  get predicted(): number {
    return this.pending.length;
  }

  /** Input on its way to the shell (keys, paste, Run in terminal): predicts it or closes the chain. */
  input(data: string): void {
    const code = data.length === 1 ? data.charCodeAt(0) : -1;
    if (code < 0x20 || code > 0x7e) {
      this.column = null;
      return;
    }
    if (!this.echoing) {
      this.probe ??= code;
      return;
    }
    const column = this.nextColumn();
    if (column === null) {
      this.column = null;
      return;
    }
    if (!this.pending.length) this.arm(this.clock.now());
    this.pending.push({ code, at: this.clock.now() });
    this.column = column + 1;
    this.draw(data);
  }

  /** Output from the shell: confirms matching predictions, rolls back the rest on a mismatch. */
  write(bytes: Uint8Array, rendered: () => void): void {
    if (this.probe !== null) {
      this.echoing = bytes[0] === this.probe;
      this.probe = null;
    }
    let i = 0;
    while (i < bytes.length && this.pending.length && bytes[i] === this.pending[0]!.code) {
      this.sample(this.clock.now() - this.pending.shift()!.at);
      i++;
    }
    if (this.pending.length && i < bytes.length) {
      this.echoing = false;
      this.rollback();
    }
    if (this.pending.length) this.arm(this.pending[0]!.at);
    else this.clock.clearTimeout(this.timer);
    if (i === bytes.length) {
      this.draw(EMPTY, rendered); // acknowledged once what is already on screen is parsed
      return;
    }
    this.column = null;
    this.draw(bytes.subarray(i), rendered);
  }

  /**
   * The screen is about to be cleared (a new shell). xterm resets at once but parses queued writes
   * later, so a prediction still queued would land on the clean screen: queue its erasure too.
   */
  reset(): void {
    this.rollback();
    this.probe = null;
    this.echoing = true;
  }

  /** The column the key would be drawn at, or null when predicting it is not safe. */
  private nextColumn(): number | null {
    const t = this.term;
    if (!t || !this.active || !this.enabled) return null;
    // Never a key on the last column (after it the cursor waits to wrap): rolling back is then a
    // move left and an erase on one row.
    const fits = (x: number) => (x + 2 <= t.cols ? x : null);
    if (this.column !== null) return fits(this.column);
    const b = t.buffer.active;
    if (this.inFlight || b.type !== 'normal') return null;
    const y = b.baseY + b.cursorY;
    const line = b.getLine(y);
    if (!line || b.getLine(y + 1)?.isWrapped) return null;
    for (let x = b.cursorX; x < t.cols; x++) {
      const cell = line.getCell(x);
      if (!cell || !cell.isBgDefault() || (cell.getChars() !== '' && cell.getChars() !== ' ')) return null;
    }
    if (SECRET_PROMPT.test(line.translateToString(false, 0, b.cursorX))) return null;
    return fits(b.cursorX);
  }

  /** Erases the unconfirmed predictions and puts the cursor back where the shell left it. */
  private rollback(): void {
    this.column = null;
    this.clock.clearTimeout(this.timer);
    const n = this.pending.length;
    if (!n) return;
    this.pending = [];
    this.draw(`\x1b[${n}D\x1b[${n}X`);
  }

  /** Rolls back when the oldest prediction is not echoed within a few round trips. */
  private arm(since: number): void {
    this.clock.clearTimeout(this.timer);
    const wait = Math.min(1000, Math.max(250, 4 * (this.smoothedRtt ?? 125)));
    this.timer = this.clock.setTimeout(
      () => {
        this.echoing = false;
        this.rollback();
      },
      Math.max(0, since + wait - this.clock.now()),
    );
  }

  private sample(rtt: number): void {
    this.smoothedRtt = this.smoothedRtt === null ? rtt : 0.8 * this.smoothedRtt + 0.2 * rtt;
  }

  private draw(data: string | Uint8Array, rendered?: () => void): void {
    const t = this.term;
    if (!t) return;
    this.inFlight++;
    t.write(data, () => {
      this.inFlight--;
      rendered?.();
    });
  }
}
