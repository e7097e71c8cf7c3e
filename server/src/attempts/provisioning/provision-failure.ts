import { GraderError, GraderErrorCode } from '@netlab/grader';
import { ProviderError, ProviderErrorCode } from '@netlab/infra';
import type { ProvisioningStep } from '../attempt-state';

/** A provisioning failure in two voices: a sentence for the learner with what to do, the cause for the operator. */
export interface ProvisionFailure {
  message: string;
  cause: string;
}

const AGAIN = 'Start the lab again; if it fails again, tell your instructor.';

/** Words for a provisioning error, by what failed. */
export function describeProvisionFailure(step: ProvisioningStep | null, error: unknown): ProvisionFailure {
  const cause = `${step ?? 'provisioning'}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  if (error instanceof ProviderError) {
    switch (error.code) {
      case ProviderErrorCode.HOST_NOT_READY:
        return { message: `The lab machines cannot start clusters right now. ${AGAIN}`, cause };
      case ProviderErrorCode.TIMEOUT:
        return {
          message: `Starting your lab's cluster took too long; the lab machines may be busy. ${AGAIN}`,
          cause,
        };
      case ProviderErrorCode.INVALID_SPEC:
        return {
          message:
            'This lab asks for a cluster the platform cannot make. Tell your instructor; the lab needs fixing.',
          cause,
        };
      default:
        return { message: `Your lab's cluster could not be started. ${AGAIN}`, cause };
    }
  }
  if (error instanceof GraderError && error.code === GraderErrorCode.ACTION_FAILED)
    return {
      message: `The lab could not be set up on your cluster (a problem with the lab itself, at step "${step}"). Tell your instructor.`,
      cause,
    };
  return { message: `Setting up your lab failed at step "${step ?? 'start'}". ${AGAIN}`, cause };
}

/** Failures a fresh cluster may not have: the cluster API dropped a connection, a create timed out. */
export function isTransient(error: unknown): boolean {
  if (error instanceof GraderError) return error.code === GraderErrorCode.CLUSTER_UNREACHABLE;
  if (error instanceof ProviderError)
    return error.code === ProviderErrorCode.TIMEOUT || error.code === ProviderErrorCode.CREATE_FAILED;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT';
}
