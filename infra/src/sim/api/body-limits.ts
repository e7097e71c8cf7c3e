import { ApiError } from './api-error';

/** How big and how deep a request body may be; checked before and after parsing. */
export interface BodyLimits {
  /** Bytes of a JSON (or patch, or protobuf) body: the API server's own 3 MiB. */
  jsonBytes: number;
  /** Bytes of a YAML body: YAML costs ~10× JSON to parse, so it gets a third of the room. */
  yamlBytes: number;
  /** Nesting of objects and arrays; real objects stay under 20 (managedFields included). */
  maxDepth: number;
  /** Values (objects, arrays, scalars) in one body or one patched object. */
  maxValues: number;
  /** Operations in one JSON patch (the API server's maxJSONPatchOperations). */
  maxPatchOperations: number;
  /** Values one JSON patch may duplicate with `copy` (kubectl never sends a copy at all). */
  maxPatchCopiedValues: number;
}

/** The limits every sim cluster applies. */
export const BODY_LIMITS: BodyLimits = {
  jsonBytes: 3 * 1024 * 1024,
  yamlBytes: 1024 * 1024,
  maxDepth: 100,
  maxValues: 250_000,
  maxPatchOperations: 10_000,
  maxPatchCopiedValues: 10_000,
};

/** The byte limit for a body of this Content-Type. */
export function bodyByteLimit(contentType: string | undefined, limits = BODY_LIMITS): number {
  return contentType?.includes('yaml') && !contentType.includes('apply-patch')
    ? limits.yamlBytes
    : limits.jsonBytes;
}

/** The API server's 413 for a body over its limit. */
export function tooLarge(limit: number): ApiError {
  return ApiError.of('RequestEntityTooLarge', `Request entity too large: limit is ${limit}`, undefined, 413);
}

function tooDeep(limits: BodyLimits): ApiError {
  return ApiError.badRequest(
    `error decoding request body: exceeded max depth of ${limits.maxDepth} (objects and lists nested too deeply)`,
  );
}

function tooMany(limits: BodyLimits): ApiError {
  return ApiError.of(
    'RequestEntityTooLarge',
    `Request entity too large: more than ${limits.maxValues} values in one object`,
    undefined,
    413,
  );
}

/**
 * Checks JSON text for nesting and size in one pass over the characters, before `JSON.parse`
 * (so no parser or later recursive code ever sees a body nested past `maxDepth`).
 */
export function scanJson(text: string, limits = BODY_LIMITS): void {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.maxDepth) throw tooDeep(limits);
      if (++values > limits.maxValues) throw tooMany(limits);
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && ++values > limits.maxValues) throw tooMany(limits);
  }
}

/**
 * An upper bound on YAML nesting, line by line, before the parser (whose composer recurses) runs:
 * indentation, compact `- - -` entries and flow brackets outside quotes all count as a level.
 */
export function scanYaml(text: string, limits = BODY_LIMITS): void {
  let flow = 0;
  let values = 0;
  for (const line of text.split('\n')) {
    let i = 0;
    while (line[i] === ' ') i++;
    let block = i;
    while ((line[i] === '-' || line[i] === '?') && (line[i + 1] === ' ' || line[i + 1] === undefined)) {
      block++;
      i += 2;
      while (line[i] === ' ') i++;
    }
    if (line.trim()) values++;
    let quote = '';
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') i++;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
      else if (c === '[' || c === '{') {
        flow++;
        values++;
      } else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
      else if (c === ',') values++;
      if (block + flow > limits.maxDepth * 2) throw tooDeep(limits);
    }
    // Indentation counts columns, not levels: two columns per level is the tightest real YAML.
    if (block + flow > limits.maxDepth * 2) throw tooDeep(limits);
    if (values > limits.maxValues) throw tooMany(limits);
  }
}

/** Checks a parsed value (a body or a patched object) without recursion: depth and number of values. */
export function checkShape(value: unknown, limits = BODY_LIMITS): void {
  const stack: [unknown, number][] = [[value, 1]];
  let values = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++values > limits.maxValues) throw tooMany(limits);
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) throw tooDeep(limits);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
