import { lookupCommand } from '../program-table';
import { SIGINT_STATUS, type Tool } from '../tool-context';

/** busybox's exit status when it had to kill the program: 128 + SIGTERM. */
const KILLED_BY_TERM = 143;

/** busybox `timeout [-s SIG] SECS PROG ARGS`: runs PROG and kills it after SECS. */
export const timeoutTool: Tool = async (ctx) => {
  let args = ctx.args;
  if (args[0] === '-s') args = args.slice(2);
  else if (args[0]?.startsWith('-s')) args = args.slice(1);
  const [secs, name, ...rest] = args;
  if (secs === undefined || name === undefined || !/^\d+(\.\d+)?$/.test(secs)) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n\nRuns PROG. Sends SIG (TERM) after SECS seconds\n',
    );
    return 1;
  }
  const program = lookupCommand(name, ctx.host.programs);
  if (!program) {
    ctx.stderr(`timeout: can't execute '${name}': No such file or directory\n`);
    return 127;
  }
  const deadline = new AbortController();
  const finished = new AbortController();
  const signal = AbortSignal.any([ctx.signal, deadline.signal]);
  let expired = false;
  const timer = ctx.clock
    .sleep(Number(secs) * 1000, AbortSignal.any([signal, finished.signal]))
    .then((elapsed) => {
      if (!elapsed) return;
      expired = true;
      deadline.abort();
    });
  const status = await program.tool({ ...ctx, argv0: name, args: rest, signal });
  finished.abort();
  await timer;
  if (ctx.signal.aborted) return SIGINT_STATUS;
  return expired ? KILLED_BY_TERM : status;
};
