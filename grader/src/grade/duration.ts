const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds in a lab duration such as `500ms`, `10s`, `2m`. */
export function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration such as 500ms, 10s or 2m`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
