import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from './auth/auth.types';
import { BROKEN_LAB, makeLabsDir, VALID_LAB } from './testing/labs-fixture';
import { startTestApp, TestBrowser, type TestApp } from './testing/test-app';
import { createTestUser, TEST_PASSWORD } from './testing/users';

type Caller = 'anonymous' | Role;
const CALLERS: Caller[] = ['anonymous', 'learner', 'instructor', 'admin'];

interface Row {
  method: 'GET' | 'POST';
  path: string;
  body?: (caller: Caller) => object;
  /** Expected status per caller; 200/201/204 mean allowed. */
  expect: [anonymous: number, learner: number, instructor: number, admin: number];
}

let n = 0;
// One row per endpoint this module set owns; every caller sends a valid CSRF token, so the table
// shows authentication and roles only (CSRF refusal has its own specs).
const TABLE: Row[] = [
  { method: 'GET', path: '/api/auth/csrf', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/api/auth/config', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/api/auth/me', expect: [401, 200, 200, 200] },
  {
    method: 'POST',
    path: '/api/auth/register',
    body: (c) => ({ email: `new-${c}-${++n}@example.com`, password: 'a long password', displayName: 'New' }),
    expect: [200, 200, 200, 200],
  },
  {
    method: 'POST',
    path: '/api/auth/invites',
    body: () => ({ role: 'learner' }),
    expect: [401, 403, 201, 201],
  },
  {
    method: 'POST',
    path: '/api/auth/invites',
    body: () => ({ role: 'instructor' }),
    expect: [401, 403, 403, 201],
  },
  { method: 'POST', path: '/api/auth/logout', expect: [401, 204, 204, 204] },
  { method: 'GET', path: '/api/labs', expect: [401, 200, 200, 200] },
  { method: 'GET', path: `/api/labs/${VALID_LAB}`, expect: [401, 200, 200, 200] },
  { method: 'GET', path: `/api/labs/${BROKEN_LAB}`, expect: [401, 404, 200, 200] },
  { method: 'GET', path: '/healthz', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/readyz', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/metrics', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/api/docs-json', expect: [200, 200, 200, 200] },
];

describe('access by role', () => {
  let sut: TestApp;
  let labsDir: string;
  const emails = new Map<Role, string>();

  beforeAll(async () => {
    labsDir = makeLabsDir();
    sut = await startTestApp({ config: { labsDir } });
    for (const role of ['learner', 'instructor', 'admin'] as const) {
      emails.set(role, (await createTestUser(sut.app, role)).email);
    }
  }, 120_000);
  afterAll(async () => {
    await sut?.close();
    rmSync(labsDir, { recursive: true, force: true });
  });

  async function browserFor(caller: Caller): Promise<TestBrowser> {
    const browser = new TestBrowser(sut.url);
    if (caller === 'anonymous') await browser.fetchCsrf();
    else expect((await browser.signIn(emails.get(caller)!, TEST_PASSWORD)).status).toBe(200);
    return browser;
  }

  it.each(
    TABLE.map(
      (row) =>
        [`${row.method} ${row.path} ${row.body ? JSON.stringify(row.body('anonymous')) : ''}`, row] as const,
    ),
  )('should answer %s as the table says for each role', async (_name, row) => {
    const seen: number[] = [];
    for (const caller of CALLERS) {
      const browser = await browserFor(caller);
      const res =
        row.method === 'GET' ? await browser.get(row.path) : await browser.post(row.path, row.body?.(caller));
      seen.push(res.status);
      if (res.status === 401) expect(res.body.code).toBe('UNAUTHENTICATED');
      if (res.status === 403) expect(res.body.code).toBe('FORBIDDEN');
    }
    expect(seen).toEqual(row.expect);
  });
});
