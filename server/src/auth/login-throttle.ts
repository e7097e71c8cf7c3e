import { Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AppError, AppErrorCode } from '../common/app-error';

/** How many failed sign-ins are allowed before callers must wait. */
export const LOGIN_LIMITS = {
  /** Failed sign-ins per account (email, known or not) per window. */
  perAccount: 5,
  /** Failed sign-ins and refused registrations per client address per window. */
  perAddress: 20,
  windowSeconds: 15 * 60,
} as const;

/**
 * Login throttling per account and per address: failures consume points, a success clears the
 * account's. Counts live in memory: a restart forgives them (acceptable for one server process).
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount = new RateLimiterMemory({
    keyPrefix: 'login-account',
    points: LOGIN_LIMITS.perAccount,
    duration: LOGIN_LIMITS.windowSeconds,
  });
  private readonly byAddress = new RateLimiterMemory({
    keyPrefix: 'login-address',
    points: LOGIN_LIMITS.perAddress,
    duration: LOGIN_LIMITS.windowSeconds,
  });

  /** Throws 429 TOO_MANY_ATTEMPTS when the account or the address has no attempts left. */
  async check(account: string | null, address: string): Promise<void> {
    const waits = await Promise.all([
      account === null ? null : this.byAccount.get(account),
      this.byAddress.get(address),
    ]);
    const limits = [LOGIN_LIMITS.perAccount, LOGIN_LIMITS.perAddress];
    let waitMs = 0;
    waits.forEach((res, i) => {
      if (res && res.consumedPoints >= limits[i]!) waitMs = Math.max(waitMs, res.msBeforeNext);
    });
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new AppError(
        AppErrorCode.TOO_MANY_ATTEMPTS,
        `Too many failed attempts; try again in ${describeWait(retryAfterSeconds)}.`,
        { retryAfterSeconds },
        retryAfterSeconds,
      );
    }
  }

  async failed(account: string | null, address: string): Promise<void> {
    await Promise.all([
      account === null ? null : this.byAccount.penalty(account, 1),
      this.byAddress.penalty(address, 1),
    ]);
  }

  async succeeded(account: string): Promise<void> {
    await this.byAccount.delete(account);
  }
}

function describeWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
