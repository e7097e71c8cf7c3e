import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** The header every state-changing request carries. */
export const CSRF_HEADER = 'x-csrf-token';

/** What a CSRF token is bound to: the caller's session, or before sign-in a pre-session cookie. */
export type CsrfBinding = { sessionId: string } | { presession: string };

/**
 * Synchronizer tokens without server state: HMAC(secret, binding). A token bound to a session is
 * useless with any other session, and a page on another origin can neither read it nor the cookie.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.sessionSecret).update('netlab csrf v1').digest();
  }

  issue(binding: CsrfBinding): string {
    const subject = 'sessionId' in binding ? `s:${binding.sessionId}` : `p:${binding.presession}`;
    return createHmac('sha256', this.key).update(subject).digest('base64url');
  }

  verify(binding: CsrfBinding | null, token: string | undefined): boolean {
    if (!binding || !token) return false;
    const expected = Buffer.from(this.issue(binding));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  newPresession(): string {
    return randomBytes(18).toString('base64url');
  }
}
