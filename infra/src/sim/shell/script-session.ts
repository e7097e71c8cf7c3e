import type { ProcessIO } from '../runtime/container-runtime';
import { parseShell } from './parser/shell-parser';
import { ShellSyntaxError } from './parser/shell-syntax-error';
import type { ShellInterpreter, StageIO } from './shell-interpreter';
import { utf8Chunks } from './shell-streams';
import { ShellExit, type ShellSessionState } from './shell-session-state';

/**
 * `kubectl exec -i pod -- sh < script`: runs commands from stdin as their lines arrive, one complete
 * command at a time (a `while ... done` spanning lines waits for its `done`). Ends at stdin EOF.
 */
export async function runScriptFromStdin(
  interpreter: ShellInterpreter,
  state: ShellSessionState,
  io: ProcessIO,
  streams: Pick<StageIO, 'stdout' | 'stderr'>,
): Promise<number> {
  const stdin = io.stdin;
  if (!stdin) return 0;
  const lines: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let partial = '';
  const text = utf8Chunks();
  stdin.on('data', (chunk: Buffer | string) => {
    partial += text(chunk);
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    notify();
  });
  const finish = () => {
    if (ended) return;
    if (partial) lines.push(partial);
    partial = '';
    ended = true;
    notify();
  };
  stdin.once('end', finish);
  stdin.once('close', finish);
  io.signal.addEventListener('abort', finish, { once: true });
  if (stdin.readableEnded) finish();

  let source = '';
  let linesRead = 0;
  for (;;) {
    while (lines.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
    if (io.signal.aborted) return state.status;
    const line = lines.shift();
    if (line === undefined) return source.trim() === '' ? state.status : (await run(source)).code;
    source = source ? `${source}\n${line}` : line;
    linesRead++;
    if (isIncomplete(source)) continue;
    state.lineBase = linesRead - source.split('\n').length;
    const result = await run(source);
    source = '';
    if (result.exit) return result.code;
  }

  async function run(text: string): Promise<{ code: number; exit: boolean }> {
    try {
      return {
        code: await interpreter.runSource(
          text,
          { ...streams, stdin: '', stdoutIsTerminal: false },
          io.signal,
        ),
        exit: false,
      };
    } catch (e) {
      if (e instanceof ShellExit) return { code: e.code, exit: true };
      throw e;
    }
  }
}

function isIncomplete(source: string): boolean {
  try {
    parseShell(source);
    return false;
  } catch (e) {
    return e instanceof ShellSyntaxError && e.incomplete;
  }
}
