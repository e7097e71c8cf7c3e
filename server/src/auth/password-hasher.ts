import { hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

// Argon2id (algorithm 2; the package's enum is a `const enum`, which isolatedModules cannot import),
// with the library's defaults: 19 MiB, 2 passes, 1 lane — OWASP's recommended minimum.
const ARGON2ID = 2;

/** Hashes and verifies passwords with argon2id. */
@Injectable()
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real verification, so an unknown email is not faster to refuse. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('netlab: no such user');
    await this.verify(await this.dummy, password);
    return false;
  }
}
