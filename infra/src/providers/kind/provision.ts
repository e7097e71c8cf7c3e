/** One named step of making a cluster (like kind's `internal/create/actions`). */
export interface ProvisionStep {
  name: string;
  run(): Promise<unknown>;
}

/** A step that failed, naming it; `cause` is what it threw. */
export class StepFailure extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StepFailure';
  }
}

/**
 * Runs the steps in order and, if one fails, runs `rollback` before rethrowing as a
 * {@link StepFailure}; a failed rollback is attached as `rollbackError`.
 */
export async function runSteps(
  steps: readonly ProvisionStep[],
  rollback: () => Promise<void>,
  onStep?: (name: string) => void,
): Promise<void> {
  for (const step of steps) {
    onStep?.(step.name);
    try {
      await step.run();
    } catch (cause) {
      const failure = new StepFailure(step.name, cause) as StepFailure & { rollbackError?: unknown };
      try {
        await rollback();
      } catch (rollbackError) {
        failure.rollbackError = rollbackError;
      }
      throw failure;
    }
  }
}
