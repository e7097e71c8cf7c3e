import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../common/clock';
import { SESSION_POLICY, SessionService, sessionIdOf } from './session.service';
import type { SessionOwner } from './session.store';
import { InMemorySessionStore } from './testing/in-memory-session.store';

class FakeClock implements Clock {
  constructor(private t = new Date('2026-01-01T00:00:00Z')) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t = new Date(this.t.getTime() + ms);
  }
}

const ada: SessionOwner = {
  id: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'learner',
  disabledAt: null,
};

function setup() {
  const clock = new FakeClock();
  const store = new InMemorySessionStore();
  store.owners.set(ada.id, { ...ada });
  return { clock, store, sut: new SessionService(store, clock) };
}

describe(SessionService.name, () => {
  it('should store only the SHA-256 of the token when creating a session', async () => {
    const { store, sut } = setup();
    const created = await sut.create(ada.id);
    expect([...store.rows.keys()]).toEqual([sessionIdOf(created.token)]);
    expect(store.rows.has(created.token)).toBe(false);
  });

  it('should resolve the user when the token is live', async () => {
    const { sut } = setup();
    const { token } = await sut.create(ada.id);
    expect((await sut.resolve(token))?.user).toEqual({
      id: 'u1',
      email: 'ada@example.com',
      displayName: 'Ada',
      role: 'learner',
    });
  });

  it('should return null when the token is unknown or malformed', async () => {
    const { sut } = setup();
    expect(await sut.resolve('x'.repeat(43))).toBeNull();
    expect(await sut.resolve('not a token')).toBeNull();
  });

  it('should push the expiry back when the session is used (sliding)', async () => {
    const { clock, sut } = setup();
    const { token, expiresAt } = await sut.create(ada.id);
    clock.advance(SESSION_POLICY.idleMs - 1000);
    const later = await sut.resolve(token);
    expect(later?.expiresAt.getTime()).toBeGreaterThan(expiresAt.getTime());
    clock.advance(SESSION_POLICY.idleMs - 1000);
    expect(await sut.resolve(token)).not.toBeNull();
  });

  it('should end the session when it was idle longer than the idle timeout', async () => {
    const { clock, store, sut } = setup();
    const { token } = await sut.create(ada.id);
    clock.advance(SESSION_POLICY.idleMs);
    expect(await sut.resolve(token)).toBeNull();
    expect(store.rows.size).toBe(0);
  });

  it('should end the session at the absolute expiry however busy it is', async () => {
    const { clock, sut } = setup();
    const { token } = await sut.create(ada.id);
    for (let used = 0; used < SESSION_POLICY.absoluteMs; used += SESSION_POLICY.idleMs / 2) {
      expect(await sut.resolve(token)).not.toBeNull();
      clock.advance(SESSION_POLICY.idleMs / 2);
    }
    expect(await sut.resolve(token)).toBeNull();
  });

  it('should write lastSeenAt at most once a minute when the session is used often', async () => {
    const { clock, store, sut } = setup();
    const { token } = await sut.create(ada.id);
    for (let i = 0; i < 10; i++) await sut.resolve(token);
    expect(store.touches).toBe(0);
    clock.advance(SESSION_POLICY.touchEveryMs);
    await sut.resolve(token);
    expect(store.touches).toBe(1);
  });

  it('should refuse the session when its user is disabled', async () => {
    const { store, sut } = setup();
    const { token } = await sut.create(ada.id);
    store.owners.set(ada.id, { ...ada, disabledAt: new Date() });
    expect(await sut.resolve(token)).toBeNull();
  });

  it('should end every session of a user when revoking all of them', async () => {
    const { sut } = setup();
    const a = await sut.create(ada.id);
    const b = await sut.create(ada.id);
    expect(await sut.revokeAllOf(ada.id)).toBe(2);
    expect(await sut.resolve(a.token)).toBeNull();
    expect(await sut.resolve(b.token)).toBeNull();
  });

  it('should read the store once per cache period when a session is used often', async () => {
    const { clock, store, sut } = setup();
    const { token } = await sut.create(ada.id);
    let reads = 0;
    const find = store.findWithOwner.bind(store);
    store.findWithOwner = (id) => (reads++, find(id));
    for (let i = 0; i < 20; i++) await sut.resolve(token);
    expect(reads).toBe(1);
    clock.advance(SESSION_POLICY.cacheMs);
    await sut.resolve(token);
    expect(reads).toBe(2);
  });

  it('should forget a cached session at once when it is revoked', async () => {
    const { sut } = setup();
    const { token, id } = await sut.create(ada.id);
    expect(await sut.resolve(token)).not.toBeNull();
    await sut.revoke(id);
    expect(await sut.resolve(token)).toBeNull();
    const other = await sut.create(ada.id);
    expect(await sut.resolve(other.token)).not.toBeNull();
    await sut.revokeAllOf(ada.id);
    expect(await sut.resolve(other.token)).toBeNull();
  });

  it('should read the store once when many requests of one session arrive together', async () => {
    const { clock, store, sut } = setup();
    const { token } = await sut.create(ada.id);
    const reads = countReads(store);
    const users = await Promise.all(Array.from({ length: 10 }, () => sut.resolve(token)));
    expect(users.map((s) => s?.user.id)).toEqual(Array(10).fill('u1'));
    expect(reads()).toBe(1);
    clock.advance(SESSION_POLICY.cacheMs);
    await Promise.all(Array.from({ length: 10 }, () => sut.resolve(token)));
    expect(reads()).toBe(2);
  });

  it('should answer from memory and re-read in the background near the end of the cache period', async () => {
    const { clock, store, sut } = setup();
    const { token } = await sut.create(ada.id);
    await sut.resolve(token);
    const gate = holdReads(store);
    clock.advance(SESSION_POLICY.cacheMs - SESSION_POLICY.refreshAheadMs);
    // The store read is held: the use must not wait for it.
    expect((await sut.resolve(token))?.user.id).toBe('u1');
    expect(gate.waiting).toBe(1);
    expect((await sut.resolve(token))?.user.id).toBe('u1');
    expect(gate.waiting).toBe(1); // one background read at a time
    gate.release();
    await vi.waitFor(() => expect(gate.done).toBe(1));
    clock.advance(SESSION_POLICY.refreshAheadMs); // past the first period: trusted from the re-read
    const reads = countReads(store);
    expect((await sut.resolve(token))?.user.id).toBe('u1');
    expect(reads()).toBe(0);
  });

  it('should not remember a session read while it was being revoked', async () => {
    const { store, sut } = setup();
    const { token, id } = await sut.create(ada.id);
    const gate = holdReads(store);
    const reading = sut.resolve(token);
    await vi.waitFor(() => expect(gate.waiting).toBe(1));
    await sut.revoke(id);
    gate.release();
    expect((await reading)?.user.id).toBe('u1'); // it began before the sign-out
    expect(await sut.resolve(token)).toBeNull();
  });

  it('should not answer a request made after a sign-out from a read begun before it', async () => {
    const { store, sut } = setup();
    const { token, id } = await sut.create(ada.id);
    const gate = holdReads(store);
    const before = sut.resolve(token);
    await vi.waitFor(() => expect(gate.waiting).toBe(1));
    await sut.revoke(id);
    const after = sut.resolve(token);
    gate.release();

    expect((await before)?.user.id).toBe('u1');
    expect(await after).toBeNull();
  });
});

function countReads(store: InMemorySessionStore): () => number {
  let reads = 0;
  const find = store.findWithOwner.bind(store);
  store.findWithOwner = (id) => (reads++, find(id));
  return () => reads;
}

/** Holds the store's session reads (what they return is taken when they start) until released. */
function holdReads(store: InMemorySessionStore) {
  const find = store.findWithOwner.bind(store);
  let open!: () => void;
  const released = new Promise<void>((resolve) => (open = resolve));
  const gate = { waiting: 0, done: 0, release: () => open() };
  store.findWithOwner = async (id) => {
    gate.waiting++;
    const found = await find(id);
    await released;
    gate.done++;
    return found;
  };
  return gate;
}
