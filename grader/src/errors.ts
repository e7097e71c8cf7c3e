/** Codes for the grader's own failures. A broken learner cluster is never one: that is a failed check. */
export enum GraderErrorCode {
  /** The cluster's API could not be reached at all. */
  CLUSTER_UNREACHABLE = 'CLUSTER_UNREACHABLE',
  /** The API refused our credentials. */
  UNAUTHORIZED = 'UNAUTHORIZED',
  /** Input to the networking model was malformed (bad YAML, unknown pod, bad CIDR, ...). */
  INVALID_INPUT = 'INVALID_INPUT',
  /** The API refused one of a lab's own actions (setup, fault, solution, bypass): the lab is wrong. */
  ACTION_FAILED = 'ACTION_FAILED',
  /** The cluster does not serve an API netlab or the lab uses (too old, or an add-on missing); the message names it. */
  API_NOT_SERVED = 'API_NOT_SERVED',
}

/** The grader's error type; `code` says which failure it is. */
export class GraderError extends Error {
  constructor(
    readonly code: GraderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GraderError';
  }
}
