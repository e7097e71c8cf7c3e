import type { ProcessIO } from '../runtime/container-runtime';
import type { CommandList } from './parser/shell-ast';
import { parseShell } from './parser/shell-parser';
import { ShellSyntaxError } from './parser/shell-syntax-error';
import { ShellInterpreter, type StageIO } from './shell-interpreter';
import type { ShellHost } from './shell-host';
import { ShellExit, ShellSessionState } from './shell-session-state';
import { KeyDecoder, type Key } from './terminal/key-decoder';
import { pacer, utf8Chunks } from './shell-streams';
import { LineEditor } from './terminal/line-editor';
import { shellCompleter } from './terminal/tab-completion';
import { SIGINT_STATUS } from './tool-context';

/**
 * `kubectl exec -it pod -- sh`: a busybox ash prompt with line editing and history. While a
 * command runs, Ctrl-C echoes `^C` and interrupts it (as the TTY's ISIG would); other keys wait
 * as type-ahead. Ctrl-D on an empty line, `exit`, or the end of stdin ends the shell.
 */
export class InteractiveSession {
  private readonly keys: Key[] = [];
  private readonly decoder = new KeyDecoder();
  private readonly text = utf8Chunks();
  private readonly editor: LineEditor;
  private ended = false;
  private wake?: () => void;
  private running?: AbortController;
  /** A shell started from this one on the same terminal (`chroot /host`): it gets the keys until it exits. */
  private child?: InteractiveSession;

  constructor(
    private readonly interpreter: ShellInterpreter,
    private readonly state: ShellSessionState,
    private readonly io: ProcessIO,
    private readonly streams: Pick<StageIO, 'stdout' | 'stderr'>,
    history: string[] = [],
    /** Whether the parent session feeds the keys (a nested shell does not read stdin itself). */
    private readonly nested = false,
  ) {
    this.editor = new LineEditor(
      history,
      shellCompleter(state.fs, () => state.cwd, state.host.programs),
    );
  }

  async run(): Promise<number> {
    const detach = this.nested ? () => undefined : this.listen();
    const unsubscribe = this.io.onResize((size) => this.editor.setWidth(size.cols));
    try {
      return await this.loop();
    } finally {
      unsubscribe();
      detach();
    }
  }

  private async loop(): Promise<number> {
    let pending = '';
    let linesRead = 0;
    for (;;) {
      const prompt = pending ? '> ' : this.prompt();
      this.write(prompt);
      this.editor.begin(prompt);
      const done = await this.readLine();
      if (done === 'eof') {
        this.write('\r\n');
        return this.state.status;
      }
      if (done === 'closed') return this.state.status;
      if (done === 'interrupt') {
        pending = '';
        this.state.status = SIGINT_STATUS;
        continue;
      }
      linesRead++;
      const source = pending ? `${pending}\n${done.line}` : done.line;
      // dash numbers commands by the lines the session has read, the first command being line 1.
      this.state.lineBase = linesRead - source.split('\n').length;
      let list: CommandList;
      try {
        list = parseShell(source);
      } catch (e) {
        if (!(e instanceof ShellSyntaxError)) throw e;
        if (e.incomplete) {
          pending = source;
          continue;
        }
        pending = '';
        this.streams.stderr(`sh: ${e.message}\n`);
        this.state.status = 2;
        continue;
      }
      pending = '';
      const code = await this.execute(list);
      if (code !== undefined) return code;
    }
  }

  /** Runs a command line; returns an exit code when the shell must end. */
  private async execute(list: CommandList): Promise<number | undefined> {
    const controller = new AbortController();
    this.running = controller;
    try {
      const io: StageIO = {
        ...this.streams,
        stdin: '',
        stdoutIsTerminal: true,
        openShell: (host) => this.openChild(host),
      };
      const status = await this.interpreter.runList(
        list,
        io,
        AbortSignal.any([controller.signal, this.io.signal]),
      );
      // ash prints a newline after a job killed by SIGINT; a program that caught it (ping) did its own.
      if (controller.signal.aborted && status === SIGINT_STATUS) this.write('\r\n');
      return this.io.signal.aborted ? status : undefined;
    } catch (e) {
      if (e instanceof ShellExit) return e.code;
      throw e;
    } finally {
      this.running = undefined;
    }
  }

  private async readLine(): Promise<{ line: string } | 'interrupt' | 'eof' | 'closed'> {
    for (;;) {
      const key = this.keys.shift();
      if (!key) {
        if (this.ended) return 'closed';
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const result = this.editor.handle(key);
      this.write(result.output);
      if (result.done) return result.done;
    }
  }

  /** Runs an interactive shell on `host` on this terminal (the same streams), until it exits. */
  private async openChild(host: ShellHost): Promise<number> {
    const state = new ShellSessionState(host, this.state.clock, true);
    for (const [k, v] of Object.entries(this.state.environment())) state.export(k, v);
    state.enterShell();
    const interpreter = new ShellInterpreter(state, pacer(this.io.stdout));
    const child = new InteractiveSession(interpreter, state, this.io, this.streams, [], true);
    this.child = child;
    if (this.ended) child.end();
    try {
      return await child.run();
    } finally {
      this.child = undefined;
    }
  }

  /** One key from the terminal: to the nested shell if one runs, else to the line or the running command. */
  private accept(key: Key): void {
    if (this.child) return this.child.accept(key);
    if (!this.running) this.keys.push(key);
    else if (key.kind === 'interrupt') {
      // ISIG: echo ^C, discard the type-ahead (the tty flushes its input queue), interrupt.
      this.write('^C');
      this.keys.length = 0;
      this.running.abort();
    } else {
      // The tty is in cooked mode while a command runs: it echoes what is typed ahead.
      if (key.kind === 'text') this.write(key.text);
      if (key.kind === 'enter') this.write('\r\n');
      this.keys.push(key);
    }
    this.notify();
  }

  /** The terminal's input ended. */
  private end(): void {
    this.ended = true;
    this.child?.end();
    this.notify();
  }

  private listen(): () => void {
    const stdin = this.io.stdin;
    const onData = (chunk: Buffer | string) => {
      for (const key of this.decoder.feed(this.text(chunk))) this.accept(key);
      this.notify();
    };
    const onEnd = () => this.end();
    stdin?.on('data', onData);
    stdin?.once('end', onEnd);
    stdin?.once('close', onEnd);
    this.io.signal.addEventListener('abort', onEnd, { once: true });
    if (!stdin || stdin.readableEnded || this.io.signal.aborted) onEnd();
    return () => {
      stdin?.off('data', onData);
      stdin?.off('end', onEnd);
      stdin?.off('close', onEnd);
    };
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** busybox ash's default PS1 `\w \$ `: the directory (~ for HOME), then # for root or $. */
  private prompt(): string {
    const mark = (this.state.host.user?.uid ?? 0) === 0 ? '#' : '$';
    if (this.state.host.prompt === 'dash') return `${mark} `;
    const home = this.state.vars.get('HOME');
    const cwd = this.state.cwd;
    const dir =
      home && home !== '/' && (cwd === home || cwd.startsWith(`${home}/`))
        ? `~${cwd.slice(home.length)}`
        : cwd;
    return `${dir} ${(this.state.host.user?.uid ?? 0) === 0 ? '#' : '$'} `;
  }

  private write(text: string): void {
    if (text) this.io.stdout.write(text);
  }
}
