import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './auth/password-hasher';
import { ShutdownTimeoutError, startServer } from './bootstrap';
import { LearnerProgressCache } from './catalog/learner-progress.cache';
import { startTestApp, TestBrowser } from './testing/test-app';
import { createTestUser, TEST_PASSWORD } from './testing/users';

describe(`${startServer.name} shutdown`, () => {
  it('should finish a request in flight, then refuse new connections, when the server closes', async () => {
    const sut = await startTestApp();
    const user = await createTestUser(sut.app, 'learner');
    // Hold the sign-in inside the server until the shutdown has begun.
    const hasher = sut.app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    let entered!: () => void;
    let release!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    hasher.verify = async (hash, password) => {
      entered();
      await gate;
      return verify(hash, password);
    };

    const browser = new TestBrowser(sut.url);
    const login = browser.signIn(user.email, TEST_PASSWORD);
    await inFlight;
    const closing = sut.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();

    expect((await login).status).toBe(200);
    await closing;
    await expect(request(sut.url).get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);

  it('should close the database and reject, not hang, when a shutdown hook never finishes', async () => {
    const sut = await startTestApp({ start: { hooksMs: 300 } });
    // A module whose shutdown never settles (as a pool waiting on a sim host that died did).
    sut.app.get(LearnerProgressCache).onApplicationShutdown = () => new Promise<void>(() => {});

    await expect(sut.close()).rejects.toThrow(ShutdownTimeoutError);

    await expect(sut.db.ping()).rejects.toThrow();
    await expect(request(sut.url).get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);
});
