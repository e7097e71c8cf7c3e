import jsonPatch, { type Operation } from 'fast-json-patch';
import { ApiError } from '../api-error';
import { BODY_LIMITS, checkShape } from '../body-limits';

/** Counts the values in `value`, stopping once past `budget` (so counting costs at most what it allows). */
function countValues(value: unknown, budget: number): number {
  const stack: unknown[] = [value];
  let n = 0;
  while (stack.length && n <= budget) {
    const v = stack.pop();
    n++;
    if (v !== null && typeof v === 'object')
      for (const c of Array.isArray(v) ? v : Object.values(v)) stack.push(c);
  }
  return n;
}

function invalid(message: string): ApiError {
  return ApiError.of(
    'Invalid',
    `the server rejected our request due to an error in our request: ${message}`,
    undefined,
    422,
  );
}

/**
 * Applies an RFC 6902 JSON patch (`kubectl patch --type=json`) as the API server does, with its
 * bounds: at most `maxPatchOperations` operations, and `copy` (the one operation that can grow a
 * document faster than the patch's own size) charged against the object's value budget, so
 * repeated self-copies are refused instead of doubling the object until the process dies.
 */
export function applyJsonPatch(base: unknown, patch: unknown, limits = BODY_LIMITS): unknown {
  if (!Array.isArray(patch)) throw invalid('json patch must be a list of operations');
  if (patch.length > limits.maxPatchOperations) {
    throw ApiError.of(
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${limits.maxPatchOperations}, got ${patch.length}`,
      undefined,
      413,
    );
  }
  let doc: unknown = structuredClone(base);
  const allowed = Math.min(
    limits.maxPatchCopiedValues,
    limits.maxValues - countValues(doc, limits.maxValues),
  );
  let budget = allowed;
  try {
    for (const [i, op] of (patch as Operation[]).entries()) {
      if (op && typeof op === 'object' && op.op === 'copy' && typeof op.from === 'string') {
        budget -= countValues(jsonPatch.getValueByPointer(doc, op.from), budget);
        if (budget < 0) {
          throw ApiError.of(
            'RequestEntityTooLarge',
            `Request entity too large: the patch's copy operations would add more than ${allowed} values`,
            undefined,
            413,
          );
        }
      }
      doc = jsonPatch.applyOperation(doc, op, true, true, true, i).newDocument;
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw invalid(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
  checkShape(doc, limits);
  return doc;
}
