/**
 * Evaluates the small JSONPath subset checks need: `$.spec.ports[0].targetPort`,
 * `$.metadata.labels['app.kubernetes.io/name']`, and kubectl's `{.spec.x}` spelling.
 * Returns `undefined` when any step is missing.
 */
export function evaluateJsonPath(value: unknown, path: string): unknown {
  let cursor: unknown = value;
  for (const step of parseJsonPath(path)) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string | number, unknown>)[step];
  }
  return cursor;
}

/** The steps of a path, or a thrown Error naming the part that is not understood. */
export function parseJsonPath(path: string): (string | number)[] {
  let rest = path
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  const steps: (string | number)[] = [];
  while (rest.length) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z0-9_-]+)/.exec(rest))) steps.push(m[1]!);
    else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push(Number(m[1]));
    else if ((m = /^\[['"]([^'"]+)['"]\]/.exec(rest))) steps.push(m[1]!);
    else throw new Error(`cannot read the JSONPath "${path}" at "${rest}" (supported: .field, [n], ['key'])`);
    rest = rest.slice(m[0].length);
  }
  return steps;
}
