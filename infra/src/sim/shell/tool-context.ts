import type { ShellClock } from './shell-clock';
import type { ShellFileSystem } from './shell-filesystem';
import type { ShellHost } from './shell-host';

/** Where a tool writes: already converted for the terminal (`\n` → `\r\n` in TTY mode). */
export type OutputSink = (text: string) => void;

/** Everything one running program sees: its argv, its streams and the container around it. */
export interface ToolContext {
  /** argv[0] as typed (`curl`, `/usr/bin/curl`). */
  argv0: string;
  /** The arguments after argv[0], already expanded by the shell. */
  args: string[];
  host: ShellHost;
  /** The exported environment (what `env` prints). */
  env: Record<string, string>;
  /** Text piped or redirected into the program; empty when nothing is. */
  stdin: string;
  stdout: OutputSink;
  stderr: OutputSink;
  /** Whether stdout goes straight to a terminal (curl shows no progress meter then). */
  stdoutIsTerminal: boolean;
  /** Aborted on Ctrl-C (SIGINT) or when the exec client goes away. */
  signal: AbortSignal;
  clock: ShellClock;
  fs: ShellFileSystem;
  cwd: string;
  /** The pid of the shell that runs the program, and the program's own pid (for `ps`). */
  shell: { pid: number; commandPid: number };
  /**
   * Optional: runs argv inside another root filesystem's host with this program's streams
   * (`chroot`); `['/bin/sh', '-i']` on a terminal opens an interactive shell there until it exits.
   */
  runIn?(host: ShellHost, argv: string[]): Promise<number>;
}

/** A program: runs to completion and resolves to its exit code. */
export type Tool = (ctx: ToolContext) => Promise<number>;

/** Exit status of a program killed by SIGINT, as the shell reports it in `$?`. */
export const SIGINT_STATUS = 130;
