import { runBuiltin, isBuiltin } from './shell-builtins';
import type { Command, CommandList, Pipeline, Redirect, SimpleCommand } from './parser/shell-ast';
import { parseShell } from './parser/shell-parser';
import { ShellSyntaxError } from './parser/shell-syntax-error';
import { isShell, lookupCommand } from './program-table';
import type { ShellHost } from './shell-host';
import { runWatch } from './watch-command';
import { resolvePath } from './shell-filesystem';
import { LoopControl, ShellExit, ShellSessionState } from './shell-session-state';
import { SIGINT_STATUS, type OutputSink, type Tool, type ToolContext } from './tool-context';
import { appendCapped } from './shell-limits';
import { expandToString, expandWord, type ExpansionScope } from './word-expander';

/** The streams one command (or pipeline stage) runs with. */
export interface StageIO {
  stdin: string;
  stdout: OutputSink;
  stderr: OutputSink;
  stdoutIsTerminal: boolean;
  /** Set by an interactive session: opens a nested interactive shell on `host` on its terminal. */
  openShell?: (host: ShellHost) => Promise<number>;
}

/** Runs parsed commands against the session state, busybox-ash style. */
export class ShellInterpreter {
  /**
   * `pace` runs before every loop iteration: it lets the event loop breathe (Ctrl-C, other
   * clusters) and waits while the client is not reading, so `while true; do echo; done` can
   * neither freeze the process nor fill its memory.
   */
  constructor(
    private readonly state: ShellSessionState,
    private readonly pace: (signal: AbortSignal) => Promise<void> = yieldToEventLoop,
  ) {}

  /** Parses and runs `source`; syntax errors print `sh: syntax error: ...` and give status 2. */
  async runSource(source: string, io: StageIO, signal: AbortSignal): Promise<number> {
    let list: CommandList;
    try {
      list = parseShell(source);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      io.stderr(`sh: ${e.message}\n`);
      return (this.state.status = 2);
    }
    return this.runList(list, io, signal);
  }

  /** Runs a command list; `$?` follows each command. Stops at Ctrl-C. */
  async runList(list: CommandList, io: StageIO, signal: AbortSignal): Promise<number> {
    for (const andOr of list) {
      let status = await this.runPipeline(andOr.first, io, signal);
      for (const { op, pipeline } of andOr.rest) {
        if (signal.aborted) break;
        if ((op === '&&') === (status === 0)) status = await this.runPipeline(pipeline, io, signal);
      }
      if (signal.aborted) return this.state.status;
    }
    return this.state.status;
  }

  private async runPipeline(pipeline: Pipeline, io: StageIO, signal: AbortSignal): Promise<number> {
    let input = io.stdin;
    let status = 0;
    const last = pipeline.commands.length - 1;
    for (const [i, command] of pipeline.commands.entries()) {
      let captured = '';
      const stage: StageIO =
        i === last
          ? { ...io, stdin: input }
          : {
              stdin: input,
              stdout: (t) => (captured = appendCapped(captured, t)),
              stderr: io.stderr,
              stdoutIsTerminal: false,
            };
      status = await this.runCommand(command, stage, signal);
      if (signal.aborted) return this.state.status;
      input = captured;
    }
    if (pipeline.negate) status = status === 0 ? 1 : 0;
    return (this.state.status = status);
  }

  private async runCommand(command: Command, io: StageIO, signal: AbortSignal): Promise<number> {
    switch (command.kind) {
      case 'simple':
        return this.runSimple(command, io, signal);
      case 'group': {
        const redirected = await this.applyRedirects(command.redirects, io);
        if (typeof redirected === 'number') return redirected;
        return this.runList(command.body, redirected, signal);
      }
      case 'if': {
        for (const branch of command.branches) {
          const cond = await this.runList(branch.condition, io, signal);
          if (signal.aborted) return this.state.status;
          if (cond === 0) return this.runList(branch.body, io, signal);
        }
        return command.otherwise ? this.runList(command.otherwise, io, signal) : (this.state.status = 0);
      }
      case 'loop': {
        let status = 0;
        for (;;) {
          await this.pace(signal);
          if (signal.aborted) return (this.state.status = SIGINT_STATUS);
          const cond = await this.runList(command.condition, io, signal);
          if (signal.aborted) return this.state.status;
          if ((cond === 0) === command.until) break;
          const step = await this.loopBody(command.body, io, signal);
          status = step.status;
          if (signal.aborted) return this.state.status;
          if (step.stop) break;
        }
        return (this.state.status = status);
      }
      case 'for': {
        let status = 0;
        const items: string[] = [];
        for (const w of command.items) items.push(...(await expandWord(w, this.scope(io, signal))));
        for (const item of items) {
          await this.pace(signal);
          if (signal.aborted) return (this.state.status = SIGINT_STATUS);
          this.state.vars.set(command.name, item);
          const step = await this.loopBody(command.body, io, signal);
          status = step.status;
          if (signal.aborted) return this.state.status;
          if (step.stop) break;
        }
        return (this.state.status = status);
      }
    }
  }

  /** Runs one iteration; `break`/`continue` for an outer loop propagate with one level fewer. */
  private async loopBody(
    body: CommandList,
    io: StageIO,
    signal: AbortSignal,
  ): Promise<{ status: number; stop: boolean }> {
    try {
      return { status: await this.runList(body, io, signal), stop: false };
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, stop: e.kind === 'break' };
    }
  }

  private async runSimple(command: SimpleCommand, io: StageIO, signal: AbortSignal): Promise<number> {
    this.state.currentLine = this.state.lineBase + (command.line ?? 1);
    const scope = this.scope(io, signal);
    const argv: string[] = [];
    for (const w of command.words) argv.push(...(await expandWord(w, scope)));
    const assigned: Record<string, string> = {};
    for (const a of command.assignments) assigned[a.name] = await expandToString(a.value, scope);
    const redirected = await this.applyRedirects(command.redirects, io);
    if (typeof redirected === 'number') return (this.state.status = redirected);
    const [name, ...args] = argv;
    if (name === undefined) {
      for (const [k, v] of Object.entries(assigned)) this.state.vars.set(k, v);
      return (this.state.status = 0);
    }
    if (isBuiltin(name)) return (this.state.status = await runBuiltin(name, args, this.state, redirected));
    if (name === 'watch' && lookupCommand(name, this.state.host.programs)) {
      const run = (source: string, io: StageIO, sig: AbortSignal) => this.runSource(source, io, sig);
      return (this.state.status = await runWatch(args, redirected, signal, this.state.clock, run));
    }
    const program = lookupCommand(name, this.state.host.programs);
    if (!program) {
      redirected.stderr(this.state.notFound(name));
      return (this.state.status = 127);
    }
    const pid = this.state.nextPid++;
    const status = await runTool(program.tool, name, redirected.stderr, {
      argv0: name,
      args,
      host: this.state.host,
      env: this.state.environment(assigned),
      stdin: redirected.stdin,
      stdout: redirected.stdout,
      stderr: redirected.stderr,
      stdoutIsTerminal: redirected.stdoutIsTerminal,
      signal,
      clock: this.state.clock,
      fs: this.state.fs,
      cwd: this.state.cwd,
      shell: { pid: this.state.pid, commandPid: pid },
      runIn: (host, argv) => this.runInRoot(host, argv, redirected, signal),
    });
    return (this.state.status = status);
  }

  /**
   * Runs argv in another root (chroot): the environment is kept, the programs and files are the new
   * root's. A shell with `-c` runs its script; an interactive shell takes over the terminal when
   * there is one (otherwise it reads its commands from stdin).
   */
  async runInRoot(host: ShellHost, argv: string[], io: StageIO, signal: AbortSignal): Promise<number> {
    const state = new ShellSessionState(host, this.state.clock, this.state.tty);
    for (const [k, v] of Object.entries(this.state.environment())) state.export(k, v);
    const sub = new ShellInterpreter(state, this.pace);
    const [name = '/bin/sh', ...args] = argv;
    const quiet = { ...io, openShell: undefined };
    try {
      if (isShell(name)) {
        state.enterShell();
        if (args[0] === '-c') return await sub.runSource(args[1] ?? '', quiet, signal);
        if (io.openShell && args.every((a) => a === '-i')) return await io.openShell(host);
        return await sub.runSource(io.stdin, { ...quiet, stdin: '' }, signal);
      }
      const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      return await sub.runSource(quoted, quiet, signal);
    } catch (e) {
      if (e instanceof ShellExit) return e.code;
      throw e;
    }
  }

  /** Applies redirections; returns the new streams, or an exit status when a file cannot be opened. */
  private async applyRedirects(redirects: Redirect[], io: StageIO): Promise<StageIO | number> {
    const out = { ...io };
    for (const r of redirects) {
      const target = await expandToString(r.target, this.scope(io, new AbortController().signal));
      if (r.op === '>&') {
        const sink = target === '1' ? out.stdout : target === '2' ? out.stderr : undefined;
        if (!sink) {
          io.stderr(`sh: ${target}: bad file descriptor\n`);
          return 1;
        }
        if (r.fd === 2) out.stderr = sink;
        else if (r.fd === 1) {
          out.stdout = sink;
          out.stdoutIsTerminal = io.stdoutIsTerminal && target === '1';
        }
        continue;
      }
      const path = resolvePath(this.state.cwd, target);
      if (r.op === '<') {
        const text = this.state.fs.read(path);
        if (text === undefined) {
          io.stderr(`sh: can't open '${target}': No such file or directory\n`);
          return 1;
        }
        out.stdin = text;
        continue;
      }
      if (this.state.fs.isDir(path)) {
        io.stderr(`sh: can't create ${target}: Is a directory\n`);
        return 1;
      }
      if (r.op !== '>>') this.state.fs.write(path, '');
      const sink: OutputSink = (t) => this.state.fs.write(path, t, true);
      if (r.op === '&>') {
        out.stdout = out.stderr = sink;
        out.stdoutIsTerminal = false;
      } else if (r.fd === 2) out.stderr = sink;
      else {
        out.stdout = sink;
        out.stdoutIsTerminal = false;
      }
    }
    return out;
  }

  private scope(io: StageIO, signal: AbortSignal): ExpansionScope {
    return {
      variable: (name) => this.state.variable(name),
      substitute: async (source) => {
        let captured = '';
        const saved = this.state.status;
        // A substitution's commands are numbered from the line of the command around it.
        const { lineBase, currentLine } = this.state;
        this.state.lineBase = currentLine - 1;
        try {
          await this.runSource(
            source,
            {
              ...io,
              stdin: '',
              stdout: (t) => (captured = appendCapped(captured, t)),
              stdoutIsTerminal: false,
            },
            signal,
          );
        } catch (e) {
          if (!(e instanceof ShellExit)) throw e;
        } finally {
          this.state.lineBase = lineBase;
          this.state.currentLine = currentLine;
        }
        if (this.state.status === saved) this.state.status = saved;
        return captured;
      },
    };
  }
}

/** Yields to the event loop once (a macrotask), so I/O and timers get their turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs a program; a failure of the layer below (the cluster's dataplane) is the program's failure,
 * reported on its stderr with status 1, so the session survives it, as a real shell survives a crash.
 */
export async function runTool(
  tool: Tool,
  name: string,
  stderr: OutputSink,
  ctx: ToolContext,
): Promise<number> {
  try {
    return await tool(ctx);
  } catch (e) {
    if (e instanceof ShellExit || e instanceof LoopControl) throw e;
    stderr(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
