import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { createTestUser, TEST_PASSWORD } from '../testing/users';
import { AuthController } from './auth.controller';

describe(AuthController.name, () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  }, 120_000);
  afterAll(() => sut?.close());

  it('should register, sign in with the cookie, and answer /me when registration is open', async () => {
    const browser = new TestBrowser(sut.url);
    const res = await browser.register({
      email: '  Ada@Example.com ',
      password: 'a long password',
      displayName: 'Ada',
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      email: 'ada@example.com',
      displayName: 'Ada',
      role: 'learner',
    });
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('netlab_session='),
    );
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const me = await browser.get('/api/auth/me');
    expect(me.body).toEqual({ user: res.body.user });
  });

  it('should name each invalid field and the problem when the registration body is bad', async () => {
    const browser = new TestBrowser(sut.url);
    await browser.fetchCsrf();
    const res = await browser.post('/api/auth/register', { email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_FAILED',
      message:
        'The request is invalid: email: expected an email address such as ada@example.com; password: must be at least 8 characters; displayName: is required.',
      details: [
        { path: 'email', message: 'expected an email address such as ada@example.com' },
        { path: 'password', message: 'must be at least 8 characters' },
        { path: 'displayName', message: 'is required' },
      ],
    });
  });

  it('should answer 400 naming the body when it is not JSON', async () => {
    const browser = new TestBrowser(sut.url);
    const token = await browser.fetchCsrf();
    const res = await sut
      .http()
      .post('/api/auth/login')
      .set('cookie', browser.cookie)
      .set('x-csrf-token', token)
      .set('content-type', 'application/json')
      .send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toMatch(/^The request body is not valid JSON/);
  });

  it('should answer the same 401 for an unknown email and a wrong password', async () => {
    const known = await createTestUser(sut.app, 'learner');
    const wrongPassword = await new TestBrowser(sut.url).signIn(known.email, 'wrong password');
    const unknownEmail = await new TestBrowser(sut.url).signIn('nobody-here@example.com', 'wrong password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong email or password. Check both and try again, or ask an admin to reset your password.',
    });
  });

  it('should not say the email exists when registering it again', async () => {
    const known = await createTestUser(sut.app, 'learner');
    const res = await new TestBrowser(sut.url).register({
      email: known.email,
      password: 'another password',
      displayName: 'Copy',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REGISTRATION_REFUSED');
    expect(res.body.message).not.toMatch(/exist|taken|already registered/i);
  });

  it('should refuse login without the CSRF token from /api/auth/csrf', async () => {
    const known = await createTestUser(sut.app, 'learner');
    const res = await sut
      .http()
      .post('/api/auth/login')
      .send({ email: known.email, password: TEST_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_INVALID');
  });

  it('should need a fresh CSRF token after signing in (the old one was bound to the pre-session)', async () => {
    const known = await createTestUser(sut.app, 'learner');
    const browser = new TestBrowser(sut.url);
    const preToken = await browser.fetchCsrf();
    const login = await browser.post('/api/auth/login', { email: known.email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.csrfToken).not.toBe(preToken);
    const stale = await browser.post('/api/auth/logout');
    expect(stale.status).toBe(403);
    browser.csrfToken = login.body.csrfToken;
    expect((await browser.post('/api/auth/logout')).status).toBe(204);
  });

  it('should end the session on logout so the cookie no longer works', async () => {
    const known = await createTestUser(sut.app, 'learner');
    const browser = new TestBrowser(sut.url);
    await browser.signIn(known.email, TEST_PASSWORD);
    const cookie = browser.cookie;
    expect((await browser.post('/api/auth/logout')).status).toBe(204);
    const replay = await sut.http().get('/api/auth/me').set('cookie', cookie);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('UNAUTHENTICATED');
  });

  it('should answer how registration works', async () => {
    const res = await sut.http().get('/api/auth/config');
    expect(res.body).toEqual({ registration: 'open' });
  });
});
