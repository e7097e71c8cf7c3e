import { spawn, type ChildProcess } from 'node:child_process';

/** How to run one command. */
export interface RunOptions {
  /** Written to the command's standard input, which is then closed. */
  stdin?: string;
  /** Kill the command (and its children) after this many milliseconds. */
  timeoutMs?: number;
  /** Kill the command when this signal aborts. */
  signal?: AbortSignal;
  /** Extra environment variables, on top of this process's environment. */
  env?: Record<string, string>;
}

/** What a finished command printed. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs host commands; every shell-out in infra goes through one, so tests can assert the exact argv. */
export interface CommandRunner {
  /** Runs argv (no shell); resolves when it exits 0, otherwise rejects with a {@link RunError}. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** Why a command did not succeed. */
export type RunFailure = 'exit' | 'not-found' | 'timeout' | 'aborted' | 'spawn';

/** A command that failed, keeping argv, exit code and output (like kind's `exec.RunError`). */
export class RunError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly failure: RunFailure,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(RunError.describe(argv, failure, exitCode, stderr || stdout), options);
    this.name = 'RunError';
  }

  /** The last lines of what the command printed, for error messages. */
  get output(): string {
    return tail(this.stderr.trim() || this.stdout.trim(), 20);
  }

  private static describe(
    argv: readonly string[],
    failure: RunFailure,
    code: number | null,
    out: string,
  ): string {
    const cmd = formatArgv(argv);
    const why: Record<RunFailure, string> = {
      exit: `exited with code ${code}`,
      'not-found': `could not start: "${argv[0]}" is not on the PATH`,
      timeout: 'was killed: it ran past its time limit',
      aborted: 'was cancelled',
      spawn: 'could not start',
    };
    const shown = tail(out.trim(), 5);
    return `command \`${cmd}\` ${why[failure]}${shown ? `: ${shown}` : ''}`;
  }
}

/** argv as a copy-pasteable shell line (quoting only where needed). */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function tail(text: string, lines: number): string {
  const all = text.split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}

const MAX_OUTPUT = 1024 * 1024;

/** The real runner: spawns the process (its own process group, so a kill reaches kind's children). */
export class ExecCommandRunner implements CommandRunner {
  /** Runs argv without a shell. */
  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const [file, ...args] = argv;
    if (!file) return Promise.reject(new Error('ExecCommandRunner.run: argv is empty'));
    return new Promise((resolvePromise, reject) => {
      if (options.signal?.aborted) {
        reject(new RunError(argv, 'aborted', null, '', ''));
        return;
      }
      const child = spawn(file, args, {
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      let ended: RunFailure | undefined;
      const append = (acc: string, chunk: Buffer) => {
        const next = acc + chunk.toString('utf8');
        return next.length > MAX_OUTPUT ? next.slice(next.length - MAX_OUTPUT) : next;
      };
      child.stdout.on('data', (c: Buffer) => (stdout = append(stdout, c)));
      child.stderr.on('data', (c: Buffer) => (stderr = append(stderr, c)));

      const kill = (why: RunFailure) => {
        ended = why;
        killGroup(child, 'SIGTERM');
        setTimeout(() => killGroup(child, 'SIGKILL'), 5_000).unref();
      };
      const timer = options.timeoutMs ? setTimeout(() => kill('timeout'), options.timeoutMs) : undefined;
      const onAbort = () => kill('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };

      child.on('error', (err: NodeJS.ErrnoException) => {
        cleanup();
        const failure = err.code === 'ENOENT' ? 'not-found' : 'spawn';
        reject(new RunError(argv, failure, null, stdout, stderr || err.message, { cause: err }));
      });
      child.on('close', (code) => {
        cleanup();
        if (ended) reject(new RunError(argv, ended, code, stdout, stderr));
        else if (code === 0) resolvePromise({ stdout, stderr });
        else reject(new RunError(argv, 'exit', code, stdout, stderr));
      });
      child.stdin.on('error', () => undefined); // the command may exit before reading its input
      child.stdin.end(options.stdin ?? '');
    });
  }
}

/** Signals the command's process group (kind's docker children too), and the command itself in case its group is not set up yet. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // no such group (yet, or any more)
  }
  child.kill(signal);
}
