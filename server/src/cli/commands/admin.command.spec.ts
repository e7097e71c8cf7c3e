import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../auth/password-hasher';
import { UserRepository } from '../../auth/user.repository';
import { DatabaseService, pgliteDirOf } from '../../database/database.service';
import { adminCommand } from './admin.command';

const NETLAB = new URL('../../../bin/netlab.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'netlab-admin-'));
const env = { ...process.env, NO_COLOR: '1', NETLAB_DATA_DIR: dataDir, DATABASE_URL: '' };

function netlab(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NETLAB, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function withDb<T>(run: (db: DatabaseService) => Promise<T>): Promise<T> {
  const db = await DatabaseService.open({ pgliteDir: pgliteDirOf(dataDir) });
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

describe(adminCommand.name, () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should create an admin whose password is read from stdin', async () => {
    const res = await netlab(['admin', 'create', '--email', 'Root@Example.com'], 'first password\n');
    expect(res.stderr).not.toMatch(/netlab admin:/);
    expect(res.stdout).toContain('created admin root@example.com');
    expect(res.code).toBe(0);
    const user = await withDb((db) => new UserRepository(db).findByEmail('root@example.com'));
    expect(user).toMatchObject({ role: 'admin', displayName: 'root' });
    expect(await new PasswordHasher().verify(user!.passwordHash, 'first password')).toBe(true);
  }, 180_000);

  it('should refuse a second account with the same email and say what to run instead', async () => {
    const res = await netlab(
      ['admin', 'create', '--email', 'root@example.com', '--role', 'learner'],
      'whatever123\n',
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'netlab admin: an account with the email root@example.com exists already; use: netlab admin reset-password --email root@example.com',
    );
  }, 180_000);

  it('should refuse a short password before touching the account', async () => {
    const res = await netlab(['admin', 'reset-password', '--email', 'root@example.com'], 'short\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the password must be at least 8 characters (got 5)');
  }, 180_000);

  it('should reset the password and sign the account out everywhere', async () => {
    await withDb(async (db) => {
      const user = await new UserRepository(db).findByEmail('root@example.com');
      await db.prisma.session.create({
        data: { id: 'sess', userId: user!.id, expiresAt: new Date(Date.now() + 60_000) },
      });
    });
    const res = await netlab(['admin', 'reset-password', '--email', 'root@example.com'], 'second password\n');
    expect(res.stdout).toContain('password of root@example.com changed; 1 session(s) signed out');
    const user = await withDb((db) => new UserRepository(db).findByEmail('root@example.com'));
    expect(await new PasswordHasher().verify(user!.passwordHash, 'second password')).toBe(true);
  }, 180_000);

  it('should refuse to open the embedded database while a server holds it', async () => {
    writeFileSync(join(dataDir, 'netlab-server.pid'), `${process.ppid}\n`);
    try {
      const res = await netlab(
        ['admin', 'reset-password', '--email', 'root@example.com'],
        'third password\n',
      );
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`the netlab server (pid ${process.ppid}) is using the embedded database`);
    } finally {
      rmSync(join(dataDir, 'netlab-server.pid'));
    }
  }, 180_000);
});
