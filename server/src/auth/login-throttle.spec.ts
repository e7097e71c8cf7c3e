import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { createTestUser, TEST_PASSWORD } from '../testing/users';
import { LOGIN_LIMITS, LoginThrottle } from './login-throttle';

describe(LoginThrottle.name, () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  }, 120_000);
  afterAll(() => sut?.close());

  it('should answer 429 with Retry-After, even to the right password, when an account had too many failures', async () => {
    const user = await createTestUser(sut.app, 'learner');
    const browser = new TestBrowser(sut.url);
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await browser.signIn(user.email, `wrong ${i}`)).status).toBe(401);
    }
    const res = await browser.signIn(user.email, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(res.body.message).toMatch(/^Too many failed attempts; try again in \d+ (seconds|minutes)\.$/);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.windowSeconds);
    expect(res.body.details).toEqual({ retryAfterSeconds: retryAfter });
  });

  it('should throttle an unknown email exactly like a known one', async () => {
    const browser = new TestBrowser(sut.url);
    // The previous test used perAccount + 1 of the address's budget; stay under it here.
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      await browser.signIn('nobody@example.com', 'wrong');
    }
    const res = await browser.signIn('nobody@example.com', 'wrong');
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('should answer 429 for every account when one address had too many failures', async () => {
    const user = await createTestUser(sut.app, 'learner');
    const browser = new TestBrowser(sut.url);
    // Failures so far from this address: perAccount (first test) + perAccount (second test).
    let failures = 2 * LOGIN_LIMITS.perAccount;
    while (failures < LOGIN_LIMITS.perAddress) {
      expect((await browser.signIn(`spray-${failures}@example.com`, 'guess')).status).toBe(401);
      failures++;
    }
    const res = await browser.signIn(user.email, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
