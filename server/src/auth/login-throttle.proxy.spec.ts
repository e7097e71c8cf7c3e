import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { LOGIN_LIMITS, LoginThrottle } from './login-throttle';

/** Uses up the per-address budget of failed sign-ins, each from a new browser with `headers`. */
async function sprayFailures(url: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
    const res = await new TestBrowser(url, headers).signIn(`spray-${i}@example.com`, 'guess');
    expect(res.status).toBe(401);
  }
}

describe(`${LoginThrottle.name} behind a reverse proxy (NETLAB_TRUST_PROXY)`, () => {
  let sut: TestApp | undefined;
  afterEach(() => sut?.close());

  it('should throttle the client address from X-Forwarded-For when one proxy hop is trusted', async () => {
    sut = await startTestApp({ config: { trustProxy: 1 } });
    await sprayFailures(sut.url, { 'x-forwarded-for': '203.0.113.7' });

    const sameClient = await new TestBrowser(sut.url, { 'x-forwarded-for': '203.0.113.7' }).signIn(
      'someone@example.com',
      'guess',
    );
    const otherClient = await new TestBrowser(sut.url, { 'x-forwarded-for': '198.51.100.9' }).signIn(
      'someone@example.com',
      'guess',
    );

    expect(sameClient.status).toBe(429);
    expect(sameClient.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(otherClient.status).toBe(401); // another learner behind the same proxy is not locked out
  }, 120_000);

  it('should ignore X-Forwarded-For and throttle the connecting address when no proxy is trusted', async () => {
    sut = await startTestApp({ config: { trustProxy: false } });
    await sprayFailures(sut.url, { 'x-forwarded-for': '203.0.113.7' });

    const forged = await new TestBrowser(sut.url, { 'x-forwarded-for': '198.51.100.9' }).signIn(
      'someone@example.com',
      'guess',
    );

    expect(forged.status).toBe(429); // a client cannot escape the throttle by naming another address
  }, 120_000);

  it('should trust X-Forwarded-For only from the listed proxy addresses', async () => {
    sut = await startTestApp({ config: { trustProxy: ['192.0.2.10'] } }); // the test connects from 127.0.0.1
    await sprayFailures(sut.url, { 'x-forwarded-for': '203.0.113.7' });

    const forged = await new TestBrowser(sut.url, { 'x-forwarded-for': '198.51.100.9' }).signIn(
      'someone@example.com',
      'guess',
    );

    expect(forged.status).toBe(429);
  }, 120_000);
});
