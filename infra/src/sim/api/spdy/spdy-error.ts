/** Why a SPDY session was refused or closed. */
export enum SpdyErrorCode {
  /** A frame that SPDY/3.1 does not allow (bad length, zero stream ID, unknown control type). */
  PROTOCOL_ERROR = 'PROTOCOL_ERROR',
  /** A version other than 3 in a control frame. */
  UNSUPPORTED_VERSION = 'UNSUPPORTED_VERSION',
  /** A frame longer than the session accepts. */
  FRAME_TOO_LARGE = 'FRAME_TOO_LARGE',
  /** A header block that is malformed, or larger than the session accepts once inflated. */
  BAD_HEADER_BLOCK = 'BAD_HEADER_BLOCK',
}

/** A SPDY framing or header-compression failure; the session answers it with GOAWAY and closes. */
export class SpdyError extends Error {
  constructor(
    readonly code: SpdyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SpdyError';
  }
}
