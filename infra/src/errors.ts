/** Codes for every way a cluster provider can fail. */
export enum ProviderErrorCode {
  /** The host lacks something the provider needs (Docker, kind, memory, inotify limits). */
  HOST_NOT_READY = 'HOST_NOT_READY',
  /** A cluster of that name already exists. */
  CLUSTER_EXISTS = 'CLUSTER_EXISTS',
  /** No cluster of that name exists. */
  CLUSTER_NOT_FOUND = 'CLUSTER_NOT_FOUND',
  /** Creating the cluster failed; what was made has been cleaned up. */
  CREATE_FAILED = 'CREATE_FAILED',
  /** The operation did not finish in time. */
  TIMEOUT = 'TIMEOUT',
  /** The spec asked for something this provider cannot do. */
  INVALID_SPEC = 'INVALID_SPEC',
  /** The caller cancelled the operation (its AbortSignal fired); what was made has been cleaned up. */
  CANCELLED = 'CANCELLED',
  /** Deleting the cluster failed; it may still exist. */
  DELETE_FAILED = 'DELETE_FAILED',
  /** The provider could not list its clusters. */
  LIST_FAILED = 'LIST_FAILED',
}

/** The providers' error type; `code` says which failure it is. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}
