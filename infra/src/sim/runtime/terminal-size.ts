import type { TerminalSize } from './container-runtime';

/** The largest terminal side accepted (the kubelet's field is a uint16; no real screen is wider). */
export const MAX_TERMINAL_SIDE = 1000;

/**
 * A terminal size from untrusted input, or undefined when it is not one: both sides whole numbers
 * from 0 (a terminal that has no size yet, as `script` makes) to MAX_TERMINAL_SIDE. Callers ignore a bad resize, as the kubelet ignores a malformed one.
 */
export function toTerminalSize(cols: unknown, rows: unknown): TerminalSize | undefined {
  const ok = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TERMINAL_SIDE;
  return ok(cols) && ok(rows) ? { cols, rows } : undefined;
}

/** Decodes a channel-4 resize payload (`{"Width":100,"Height":30}`; client-node sends lowercase keys). */
export function parseResizeMessage(payload: Buffer): TerminalSize | undefined {
  if (payload.length > 256) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  return toTerminalSize(v.Width ?? v.width, v.Height ?? v.height);
}
