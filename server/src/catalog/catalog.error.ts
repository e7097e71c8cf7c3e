/** Codes for the catalog's failures (unknown lab, invalid lab, unknown pinned version). */
export enum CatalogErrorCode {
  LAB_NOT_FOUND = 'LAB_NOT_FOUND',
  LAB_INVALID = 'LAB_INVALID',
  LAB_VERSION_NOT_FOUND = 'LAB_VERSION_NOT_FOUND',
}

/** The catalog's error type; `details` carries the lab's problems for LAB_INVALID. */
export class CatalogError extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}
