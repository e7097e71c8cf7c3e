import type { ShellClock } from './shell-clock';
import type { StageIO } from './shell-interpreter';
import { SIGINT_STATUS } from './tool-context';

/** Runs a command line through the shell, as `sh -c` would; resolves to its status. */
export type RunCommandLine = (source: string, io: StageIO, signal: AbortSignal) => Promise<number>;

/**
 * busybox `watch [-n SEC] [-t] PROG ARGS`: clears the screen, prints a header and the command's
 * output, every SEC seconds (default 2) until Ctrl-C. Lives beside the interpreter because it runs
 * a command line, not one program.
 */
export async function runWatch(
  args: string[],
  io: StageIO,
  signal: AbortSignal,
  clock: ShellClock,
  run: RunCommandLine,
): Promise<number> {
  let periodMs = 2000;
  let header = true;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const arg = args[i]!;
    if (arg === '-t') header = false;
    else if (arg.startsWith('-n')) {
      const v = arg.slice(2) || args[++i];
      if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) {
        io.stderr(`watch: invalid number '${v ?? ''}'\n`);
        return 1;
      }
      periodMs = Math.max(100, Number(v) * 1000);
    } else {
      io.stderr(`watch: unrecognized option '${arg}'\n`);
      return 1;
    }
  }
  const command = args.slice(i).join(' ');
  if (!command) {
    io.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: watch [-n SEC] [-t] PROG ARGS\n\nRun PROG periodically\n',
    );
    return 1;
  }
  for (;;) {
    io.stdout('\x1b[H\x1b[J');
    if (header) {
      const left = `Every ${(periodMs / 1000).toFixed(1)}s: ${command}`;
      const right = clock
        .date()
        .toUTCString()
        .replace(/^\w+, /, '')
        .replace(' GMT', '');
      io.stdout(`${left}${' '.repeat(Math.max(1, 80 - left.length - right.length))}${right}\n\n`);
    }
    await run(command, { ...io, stdin: '', stdoutIsTerminal: io.stdoutIsTerminal }, signal);
    if (signal.aborted || !(await clock.sleep(periodMs, signal))) return SIGINT_STATUS;
  }
}
