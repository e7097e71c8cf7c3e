import { beforeEach, describe, expect, it } from 'vitest';
import { describeDatabases } from '../database/testing/test-databases';
import { InviteRepository } from './invite.repository';
import { SessionRepository } from './session.repository';
import { UserRepository } from './user.repository';

describeDatabases('auth repositories', (t) => {
  let users: UserRepository;
  beforeEach(async () => {
    await t.truncateAll();
    users = new UserRepository(t.db);
  });
  const ada = () =>
    users.create({ email: 'ada@example.com', displayName: 'Ada', passwordHash: 'h', role: 'instructor' });

  describe(UserRepository.name, () => {
    it('should create a user with a lower-case role and find them by email', async () => {
      const created = await ada();
      expect(created).toEqual({
        id: expect.any(String),
        email: 'ada@example.com',
        displayName: 'Ada',
        role: 'instructor',
      });
      expect(await users.findByEmail('ada@example.com')).toEqual({
        ...created,
        passwordHash: 'h',
        disabledAt: null,
      });
      expect(await users.findByEmail('bob@example.com')).toBeNull();
    });

    it('should answer null rather than throw when the email is taken', async () => {
      await ada();
      expect(await ada()).toBeNull();
    });

    it('should change the password hash and the role', async () => {
      const created = (await ada())!;
      await users.setPassword(created.id, 'h2');
      await users.setRole(created.id, 'admin');
      expect(await users.findByEmail('ada@example.com')).toMatchObject({ passwordHash: 'h2', role: 'admin' });
    });
  });

  describe(SessionRepository.name, () => {
    const at = (iso: string) => new Date(iso);
    const row = (id: string, userId: string, expiresAt = at('2030-01-08T00:00:00Z')) => ({
      id,
      userId,
      createdAt: at('2030-01-01T00:00:00Z'),
      lastSeenAt: at('2030-01-01T00:00:00Z'),
      expiresAt,
      ip: '127.0.0.1',
      userAgent: 'vitest',
    });

    it('should find a session with its owner and touch it', async () => {
      const sut = new SessionRepository(t.db);
      const user = (await ada())!;
      await sut.insert(row('s1', user.id));
      await sut.touch('s1', at('2030-01-02T00:00:00Z'), at('2030-01-09T00:00:00Z'));
      expect(await sut.findWithOwner('s1')).toEqual({
        session: {
          id: 's1',
          userId: user.id,
          createdAt: at('2030-01-01T00:00:00Z'),
          lastSeenAt: at('2030-01-02T00:00:00Z'),
          expiresAt: at('2030-01-09T00:00:00Z'),
        },
        owner: { ...user, disabledAt: null },
      });
      expect(await sut.findWithOwner('nope')).toBeNull();
    });

    it('should delete one session, all of a user, and the expired ones', async () => {
      const sut = new SessionRepository(t.db);
      const user = (await ada())!;
      await sut.insert(row('s1', user.id));
      await sut.insert(row('s2', user.id));
      await sut.insert(row('old', user.id, at('2029-01-01T00:00:00Z')));
      expect(await sut.deleteExpired(at('2030-01-01T00:00:00Z'))).toBe(1);
      await sut.delete('s1');
      await sut.delete('s1');
      expect(await sut.deleteForUser(user.id)).toBe(1);
      expect(await sut.findWithOwner('s2')).toBeNull();
    });
  });

  describe(InviteRepository.name, () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const later = new Date('2030-01-15T00:00:00Z');

    it('should claim an invite once, with its role, and refuse it after that', async () => {
      const sut = new InviteRepository(t.db);
      await sut.create('code-1', { role: 'instructor', expiresAt: later });
      expect(await sut.claim('code-1', 'x@example.com', now)).toEqual({
        id: expect.any(String),
        role: 'instructor',
      });
      expect(await sut.claim('code-1', 'y@example.com', now)).toBeNull();
    });

    it('should refuse an expired invite, an unknown code, and another email than the invited one', async () => {
      const sut = new InviteRepository(t.db);
      await sut.create('for-bob', { role: 'learner', email: 'bob@example.com', expiresAt: later });
      await sut.create('expired', { role: 'learner', expiresAt: now });
      expect(await sut.claim('expired', 'x@example.com', now)).toBeNull();
      expect(await sut.claim('unknown', 'x@example.com', now)).toBeNull();
      expect(await sut.claim('for-bob', 'eve@example.com', now)).toBeNull();
      expect(await sut.claim('for-bob', 'bob@example.com', now)).not.toBeNull();
    });

    it('should make an invite usable again when it is released', async () => {
      const sut = new InviteRepository(t.db);
      await sut.create('again', { role: 'learner', expiresAt: later });
      const claimed = (await sut.claim('again', 'x@example.com', now))!;
      await sut.release(claimed.id);
      expect(await sut.claim('again', 'x@example.com', now)).not.toBeNull();
    });
  });
});
