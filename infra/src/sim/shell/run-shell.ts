import type { ProcessIO } from '../runtime/container-runtime';
import { InteractiveSession } from './interactive-session';
import { isInstalled, isShell, lookupProgram } from './program-table';
import { runScriptFromStdin } from './script-session';
import { realClock, type ShellClock } from './shell-clock';
import { resolvePath } from './shell-filesystem';
import type { ShellHost } from './shell-host';
import { runTool, ShellInterpreter } from './shell-interpreter';
import { ShellExit, ShellSessionState, type ShellFlavour } from './shell-session-state';
import { anySignal, outputSinks, pacer, readAll, utf8Chunks } from './shell-streams';
import { KeyDecoder } from './terminal/key-decoder';

/** Options of {@link runShell}; tests inject a clock so timeouts do not really wait. */
export interface RunShellOptions {
  clock?: ShellClock;
}

/** Programs that read their stdin; the others never wait for it. */
const STDIN_READERS = new Set(['cat', 'grep', 'head', 'tail', 'wc', 'nc']);

/**
 * Runs an exec command in an app container: `sh` (interactive with a TTY, `-c`, or a script on
 * stdin) or one program directly (`curl ...`, `nslookup web`). Resolves to the exit code. An
 * unknown program fails as the container runtime fails it (exit 126 with runc's message).
 */
export async function runShell(
  host: ShellHost,
  command: string[] | undefined,
  io: ProcessIO,
  options: RunShellOptions = {},
): Promise<number> {
  const clock = options.clock ?? realClock;
  const [program = 'sh', ...args] = command && command.length > 0 ? command : ['sh'];
  const state = new ShellSessionState(host, clock, io.tty);
  const interpreter = new ShellInterpreter(state, pacer(io.stdout));
  const streams = outputSinks(io);
  if (isShell(program) && isInstalled(program.slice(program.lastIndexOf('/') + 1), host.programs)) {
    state.shell = { argv0: program, flavour: shellFlavour(program, host) };
    state.enterShell();
    return runSh(args, state, interpreter, io, streams);
  }
  const found = lookupProgram(program, host.programs);
  if (found?.name === 'watch' || found?.name === 'chroot') {
    // watch repeats a command line and chroot starts one in another root: only the interpreter can.
    const quoted = [program, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    return runSh(['-c', quoted], state, interpreter, io, streams);
  }
  if (!found) {
    const why = program.includes('/')
      ? `stat ${program}: no such file or directory`
      : 'executable file not found in $PATH';
    streams.stderr(
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": ${why}: unknown\n`,
    );
    return 126;
  }
  const interrupt = new AbortController();
  const signal = anySignal(interrupt.signal, io.signal);
  const detach = io.tty ? onCtrlC(io, () => interrupt.abort(), streams.stdout) : () => undefined;
  try {
    const stdin = STDIN_READERS.has(found.name) && !io.tty ? await readAll(io.stdin, io.signal) : '';
    return await runTool(found.tool, program, streams.stderr, {
      argv0: program,
      args,
      host,
      env: state.environment(),
      stdin,
      stdout: streams.stdout,
      stderr: streams.stderr,
      stdoutIsTerminal: io.tty,
      signal,
      clock,
      fs: state.fs,
      cwd: state.cwd,
      shell: { pid: state.pid, commandPid: state.nextPid },
    });
  } finally {
    detach();
  }
}

/** `bash`, `dash` and `ash` are themselves; `sh` is whatever the image's /bin/sh is (busybox ash by default). */
function shellFlavour(program: string, host: ShellHost): ShellFlavour {
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (base === 'bash' || base === 'dash' || base === 'ash') return base;
  return host.shell ?? 'ash';
}

async function runSh(
  args: string[],
  state: ShellSessionState,
  interpreter: ShellInterpreter,
  io: ProcessIO,
  streams: ReturnType<typeof outputSinks>,
): Promise<number> {
  const flags = new Set<string>();
  let i = 0;
  for (; i < args.length && /^-[a-z]+$/.test(args[i]!); i++) for (const c of args[i]!.slice(1)) flags.add(c);
  const operands = args.slice(i);
  if (flags.has('c')) {
    const source = operands[0];
    if (source === undefined) {
      streams.stderr('sh: -c requires an argument\n');
      return 2;
    }
    const interrupt = new AbortController();
    const detach = io.tty ? onCtrlC(io, () => interrupt.abort(), streams.stdout) : () => undefined;
    // On a terminal, a shell started inside (`chroot /host`) takes the keys over from this one.
    const openShell = io.tty
      ? (host: ShellHost) => {
          detach();
          return runShell(host, ['sh'], io);
        }
      : undefined;
    try {
      return await interpreter.runSource(
        source,
        { ...streams, stdin: '', stdoutIsTerminal: io.tty, ...(openShell ? { openShell } : {}) },
        anySignal(interrupt.signal, io.signal),
      );
    } catch (e) {
      if (e instanceof ShellExit) return e.code;
      throw e;
    } finally {
      detach();
    }
  }
  if (operands[0] !== undefined && !flags.has('s')) {
    const script = state.fs.read(resolvePath(state.cwd, operands[0]));
    if (script === undefined) {
      streams.stderr(`sh: can't open '${operands[0]}': No such file or directory\n`);
      return 2;
    }
    try {
      return await interpreter.runSource(
        script,
        { ...streams, stdin: '', stdoutIsTerminal: io.tty },
        io.signal,
      );
    } catch (e) {
      if (e instanceof ShellExit) return e.code;
      throw e;
    }
  }
  if (io.tty || flags.has('i')) {
    state.interactive = true;
    return new InteractiveSession(interpreter, state, io, streams).run();
  }
  return runScriptFromStdin(interpreter, state, io, streams);
}

/** In a one-shot TTY exec, Ctrl-C is the terminal's SIGINT: echo `^C` and interrupt the program. */
function onCtrlC(io: ProcessIO, interrupt: () => void, write: (text: string) => void): () => void {
  const decoder = new KeyDecoder();
  const text = utf8Chunks();
  const onData = (chunk: Buffer | string) => {
    if (decoder.feed(text(chunk)).some((k) => k.kind === 'interrupt')) {
      write('^C');
      interrupt();
    }
  };
  io.stdin?.on('data', onData);
  return () => io.stdin?.off('data', onData);
}
