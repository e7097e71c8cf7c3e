import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestBrowser, type TestApp } from '../testing/test-app';
import { createTestUser, TEST_PASSWORD } from '../testing/users';
import { AuthService } from './auth.service';

// One app; NETLAB_REGISTRATION is switched between tests through the config object it was given.
describe(`${AuthService.name} registration`, () => {
  let sut: TestApp;
  let instructor: TestBrowser;

  beforeAll(async () => {
    sut = await startTestApp({ config: { registration: 'invite' } });
    const teacher = await createTestUser(sut.app, 'instructor');
    instructor = new TestBrowser(sut.url);
    await instructor.signIn(teacher.email, TEST_PASSWORD);
  }, 120_000);
  afterAll(() => sut?.close());

  const invite = async (body: object) => {
    const res = await instructor.post('/api/auth/invites', body);
    expect(res.status).toBe(201);
    return res.body as { code: string; role: string; expiresAt: string };
  };
  const register = (email: string, inviteCode?: string) =>
    new TestBrowser(sut.url).register({
      email,
      password: 'a long password',
      displayName: 'Invited',
      ...(inviteCode ? { invite: inviteCode } : {}),
    });

  it('should say registration is by invitation', async () => {
    expect((await sut.http().get('/api/auth/config')).body).toEqual({ registration: 'invite' });
  });

  it('should register with an invite code once, and refuse the same code again', async () => {
    const { code } = await invite({});
    const first = await register('invited-1@example.com', code);
    expect(first.status).toBe(200);
    expect(first.body.user.role).toBe('learner');
    const again = await register('invited-2@example.com', code);
    expect(again.status).toBe(403);
    expect(again.body).toEqual({
      code: 'INVITE_INVALID',
      message:
        'This server registers by invitation: the invite code is missing, wrong, used or expired. Ask your instructor for a new one.',
      details: [{ path: 'invite', message: 'is not a valid invite code for this email' }],
    });
  });

  it('should refuse registration without a code, and a code made for another email', async () => {
    expect((await register('no-code@example.com')).body.code).toBe('INVITE_INVALID');
    const { code } = await invite({ email: 'Bob@Example.com' });
    expect((await register('eve@example.com', code)).status).toBe(403);
    expect((await register('bob@example.com', code)).status).toBe(200);
  });

  it('should keep the invite usable when the registration it was used for is refused', async () => {
    const taken = await createTestUser(sut.app, 'learner');
    const { code } = await invite({});
    expect((await register(taken.email, code)).body.code).toBe('REGISTRATION_REFUSED');
    expect((await register('second-try@example.com', code)).status).toBe(200);
  });

  it('should name the bad fields of an invite request', async () => {
    const res = await instructor.post('/api/auth/invites', { role: 'admin', expiresInDays: 0 });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: 'role', message: 'expected "learner" or "instructor"' },
      { path: 'expiresInDays', message: 'must be at least 1' },
    ]);
  });

  it('should refuse every registration with 403 REGISTRATION_CLOSED when registration is closed', async () => {
    sut.config.registration = 'closed';
    try {
      const res = await register('closed@example.com');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        code: 'REGISTRATION_CLOSED',
        message: 'Registration is closed on this server; ask an admin to create your account.',
      });
      expect((await sut.http().get('/api/auth/config')).body).toEqual({ registration: 'closed' });
    } finally {
      sut.config.registration = 'invite';
    }
  });
});
