import type { CheckResult, CheckStatus } from './grade-report';

/** How long a verdict must hold before it is reported, and how long to wait for that. */
export interface StabilityOptions {
  /** The verdict must be the same in every observation over at least this long (ms). */
  stableForMs: number;
  /** Give up waiting for a verdict that holds after this long (ms) and report it as unstable. */
  stableTimeoutMs: number;
  /** Pause between observations (ms); default half the window, at least 50 ms. */
  intervalMs?: number;
}

/** Default for `stableTimeoutMs`: long enough for a real cluster's kube-proxy to catch up several times. */
export function defaultStableTimeoutMs(stableForMs: number): number {
  return Math.max(10_000, 5 * stableForMs);
}

/**
 * Observes a check again and again until its verdict (pass, fail or error) has held across every
 * observation made over at least `stableForMs`, then reports the last of them: a state the data
 * plane has truly reached, not one it was passing through (kube-proxy applies a Service change a
 * moment after the API accepted it). A verdict that keeps changing until `stableTimeoutMs` is
 * reported as `unstable`, with the worst status seen in the last window (a check that passes only
 * sometimes is not passing).
 */
export async function observeUntilStable(
  observe: () => Promise<CheckResult>,
  options: StabilityOptions,
): Promise<CheckResult> {
  const started = performance.now();
  const interval = options.intervalMs ?? Math.max(50, Math.floor(options.stableForMs / 2));
  const seen: { at: number; result: CheckResult }[] = [];
  let attempts = 0;
  let since = 0; // when the current run of equal verdicts began
  for (;;) {
    const at = performance.now();
    const result = await observe();
    attempts += result.attempts;
    const previous = seen.at(-1);
    if (!previous || previous.result.status !== result.status) since = at;
    seen.push({ at, result });
    // Measured between the starts of observations: one observation alone shows nothing holds.
    const held = at - since;
    const total = performance.now() - started;
    if (held >= options.stableForMs) {
      return finish(result, { attempts, observations: seen.length, heldForMs: held, started });
    }
    if (total >= options.stableTimeoutMs) {
      const window = seen.filter((s) => s.at >= performance.now() - options.stableForMs - interval);
      const worst = worstOf(window.length ? window : seen);
      const trail = seen
        .slice(-6)
        .map((s) => s.result.status)
        .join(' → ');
      return {
        ...finish(worst, { attempts, observations: seen.length, heldForMs: held, started }),
        evidence: `${worst.evidence} (the verdict kept changing for ${seconds(total)}: ${trail})`,
        unstable: true,
      };
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

const SEVERITY: Record<CheckStatus, number> = { pass: 0, error: 1, fail: 2 };

function worstOf(seen: { result: CheckResult }[]): CheckResult {
  return seen.reduce((a, b) => (SEVERITY[b.result.status] >= SEVERITY[a.result.status] ? b : a)).result;
}

function finish(
  result: CheckResult,
  facts: { attempts: number; observations: number; heldForMs: number; started: number },
): CheckResult {
  return {
    ...result,
    attempts: facts.attempts,
    observations: facts.observations,
    heldForMs: Math.round(facts.heldForMs),
    durationMs: Math.round(performance.now() - facts.started),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
