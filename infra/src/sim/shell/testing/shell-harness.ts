import { PassThrough, Writable } from 'node:stream';
import type { ProcessIO, TerminalSize } from '../../runtime/container-runtime';
import { runShell } from '../run-shell';
import { settle, VirtualClock } from '../shell-clock';
import type { ShellHost } from '../shell-host';
import { TerminalScreen } from './terminal-screen';
import { fakeShellHost } from './fake-shell-host';

/** A writable that keeps what was written. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** What a one-shot exec showed. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kubectl exec pod -- <command>` (no TTY) against the fake host with virtual time. */
export async function execOnce(
  command: string[],
  options: { host?: ShellHost; stdin?: string; clock?: VirtualClock } = {},
): Promise<ExecResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = options.stdin === undefined ? undefined : new PassThrough();
  const io: ProcessIO = {
    stdin,
    stdout,
    stderr,
    tty: false,
    onResize: () => () => undefined,
    signal: new AbortController().signal,
  };
  const done = runShell(options.host ?? fakeShellHost(), command, io, {
    clock: options.clock ?? new VirtualClock(),
  });
  if (stdin) stdin.end(options.stdin);
  const code = await done;
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** `sh -c <script>`: the shortest way to test the shell language and the tools together. */
export function sh(
  script: string,
  options: { host?: ShellHost; clock?: VirtualClock } = {},
): Promise<ExecResult> {
  return execOnce(['sh', '-c', script], options);
}

/** A `kubectl exec -it` session: type keys, read the screen, advance virtual time. */
export class TtySession {
  readonly stdin = new PassThrough();
  readonly stdout = new Capture();
  readonly clock = new VirtualClock({ autoAdvance: false });
  readonly exit: Promise<number>;
  private exited = false;
  private readonly resizeListeners = new Set<(size: TerminalSize) => void>();
  private cols = 1000;

  constructor(host: ShellHost = fakeShellHost(), command: string[] = ['sh']) {
    const io: ProcessIO = {
      stdin: this.stdin,
      stdout: this.stdout,
      tty: true,
      onResize: (listener) => {
        this.resizeListeners.add(listener);
        return () => this.resizeListeners.delete(listener);
      },
      signal: new AbortController().signal,
    };
    this.exit = runShell(host, command, io, { clock: this.clock }).finally(() => (this.exited = true));
  }

  /** Sends keystrokes and lets the shell react. */
  async type(keys: string): Promise<void> {
    this.stdin.write(keys);
    await settle();
    await settle();
  }

  /** Resizes the terminal, as kubectl's resize channel does. */
  resize(cols: number, rows = 24): void {
    this.cols = cols;
    for (const listener of this.resizeListeners) listener({ cols, rows });
  }

  /** The terminal's visible text (trailing blanks trimmed). */
  screen(): string {
    return new TerminalScreen(this.cols).write(this.stdout.text).text();
  }

  get hasExited(): boolean {
    return this.exited;
  }
}
