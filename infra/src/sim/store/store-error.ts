/** Kubernetes Status reasons the store can produce; the API maps them to Status objects. */
export enum StoreErrorReason {
  NOT_FOUND = 'NotFound',
  ALREADY_EXISTS = 'AlreadyExists',
  CONFLICT = 'Conflict',
  GONE = 'Expired',
  /** A quota refused the write (the API server's 403 `exceeded quota: …`). */
  FORBIDDEN = 'Forbidden',
}

/** A failed store operation, carrying what the API server needs to word the error as Kubernetes does. */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    readonly details: { resource: string; name?: string },
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
