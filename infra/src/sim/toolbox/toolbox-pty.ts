import type { TerminalSize } from '../runtime/container-runtime';
import { toTerminalSize } from '../runtime/terminal-size';

/**
 * The one fixed program `script -c` hands to `sh -c`. The terminal size and the command's argv come
 * from the environment (`NETLAB_PTY_*`), so nothing from a request is ever part of a command string;
 * `eval` only ever sees the loop counter.
 */
export const PTY_PROGRAM = [
  'if [ -n "$NETLAB_PTY_COLS" ]; then stty cols "$NETLAB_PTY_COLS" rows "$NETLAB_PTY_ROWS" 2>/dev/null; fi',
  'i=0; n=$NETLAB_PTY_ARGC; set --',
  'while [ "$i" -lt "$n" ]; do eval "set -- \\"\\$@\\" \\"\\$NETLAB_PTY_ARG_$i\\""; unset "NETLAB_PTY_ARG_$i"; i=$((i+1)); done',
  'unset NETLAB_PTY_COLS NETLAB_PTY_ROWS NETLAB_PTY_ARGC i n',
  'exec "$@"',
].join('; ');

/** How to run `command` on a new PTY made by util-linux `script`: its argv and the extra environment. */
export function ptyCommand(
  command: readonly string[],
  size: TerminalSize | undefined,
): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = { SHELL: '/bin/sh', NETLAB_PTY_ARGC: String(command.length) };
  command.forEach((arg, i) => (env[`NETLAB_PTY_ARG_${i}`] = arg));
  const valid = size && toTerminalSize(size.cols, size.rows);
  if (valid) {
    env.NETLAB_PTY_COLS = String(valid.cols);
    env.NETLAB_PTY_ROWS = String(valid.rows);
  }
  return { argv: ['script', '-qfec', PTY_PROGRAM, '/dev/null'], env };
}
