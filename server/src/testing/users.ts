import type { INestApplication } from '@nestjs/common';
import type { Role, SessionUser } from '../auth/auth.types';
import { PasswordHasher } from '../auth/password-hasher';
import { UserRepository } from '../auth/user.repository';

/** The password every test user gets. */
export const TEST_PASSWORD = 'correct horse battery';

let counter = 0;

/** Creates a user of a role in the app's database, with {@link TEST_PASSWORD}. */
export async function createTestUser(
  app: INestApplication,
  role: Role,
  email?: string,
): Promise<SessionUser> {
  const users = app.get(UserRepository);
  const passwordHash = await app.get(PasswordHasher).hash(TEST_PASSWORD);
  const user = await users.create({
    email: email ?? `${role}-${++counter}-${Date.now()}@example.com`,
    displayName: `Test ${role}`,
    passwordHash,
    role,
  });
  if (!user) throw new Error(`createTestUser: ${email} exists`);
  return user;
}
