/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s, … capped at 15 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}
