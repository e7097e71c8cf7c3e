import { apiVersionOf } from '../actions/api-versions';
import type { CheckOutcome } from '../grade/grade-report';
import type { CheckContext, CheckOf } from './check-context';
import { evaluateJsonPath } from './json-path';

/** `resource`: an object exists (or not), and optionally a field of it equals a value. */
export async function runResourceCheck(check: CheckOf<'resource'>, ctx: CheckContext): Promise<CheckOutcome> {
  const { kind, namespace, name } = check.target;
  const what = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const object = await ctx.client.readObject({
    apiVersion: apiVersionOf(check.target),
    kind,
    namespace,
    name,
  });
  if (!object) {
    return check.exists
      ? { status: 'fail', evidence: `${what} does not exist`, diagnosis: `${what} does not exist` }
      : { status: 'pass', evidence: `${what} does not exist` };
  }
  if (!check.exists) {
    return {
      status: 'fail',
      evidence: `${what} exists`,
      diagnosis: `${what} still exists; it should be gone`,
    };
  }
  if (!check.jsonPath) return { status: 'pass', evidence: `${what} exists` };
  let actual: unknown;
  try {
    actual = evaluateJsonPath(object, check.jsonPath);
  } catch (error) {
    return { status: 'error', evidence: (error as Error).message };
  }
  const shown = actual === undefined ? 'not set' : JSON.stringify(actual);
  const evidence = `${what} ${check.jsonPath} is ${shown}`;
  if (check.equals === undefined) {
    return actual === undefined
      ? { status: 'fail', evidence, diagnosis: `${what} has no ${check.jsonPath}` }
      : { status: 'pass', evidence };
  }
  if (actual !== undefined && String(actual) === String(check.equals)) return { status: 'pass', evidence };
  return {
    status: 'fail',
    evidence,
    diagnosis: `${what} ${check.jsonPath} is ${shown}; expected ${JSON.stringify(check.equals)}`,
  };
}
