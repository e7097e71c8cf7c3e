import type { CheckOutcome } from '../grade/grade-report';
import { clip } from '../probes/probe-commands';
import type { CheckContext, CheckOf } from './check-context';

/** `script`: `sh -c command` in the lab toolbox exits 0. */
export async function runScriptCheck(check: CheckOf<'script'>, ctx: CheckContext): Promise<CheckOutcome> {
  const result = await ctx.scripts.run(check.command, ctx.timeoutMs);
  const output = clip(`${result.stdout} ${result.stderr}`);
  const evidence = `\`${clip(check.command, 80)}\` exited ${result.exitCode}${output ? `: ${output}` : ''}`;
  if (result.exitCode === 0) return { status: 'pass', evidence };
  return {
    status: 'fail',
    evidence,
    diagnosis: `the command exited with ${result.exitCode}${output ? `: ${output}` : ''}`,
  };
}
