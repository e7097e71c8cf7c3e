import { Command, Option } from 'commander';
import type { DatabaseService } from '../../database/database.service';
import type { AccountAdmin } from '../admin/account-admin';
import { readNewPassword } from '../admin/read-password';

/** `netlab admin ...`: accounts, from the command line (e.g. the first admin). */
export function adminCommand(): Command {
  const admin = new Command('admin').description('manage accounts: create one, reset a password');
  admin
    .command('create')
    .description('create an account; the password is prompted for (no echo) or read from stdin')
    .requiredOption('--email <email>', 'the email to sign in with')
    .addOption(
      new Option('--role <role>', 'its role').choices(['learner', 'instructor', 'admin']).default('admin'),
    )
    .option('--name <displayName>', 'the name shown in the UI (default: the part of the email before @)')
    .action(async (opts: { email: string; role: 'learner' | 'instructor' | 'admin'; name?: string }) => {
      await withAccounts(async (accounts) => {
        const password = await readNewPassword(process);
        return accounts.create({
          email: opts.email,
          role: opts.role,
          password,
          ...(opts.name ? { displayName: opts.name } : {}),
        });
      });
    });
  admin
    .command('reset-password')
    .description("set an account's password (prompted for, or read from stdin) and sign it out everywhere")
    .requiredOption('--email <email>', 'the account')
    .action(async (opts: { email: string }) => {
      await withAccounts(async (accounts) =>
        accounts.resetPassword(opts.email, await readNewPassword(process)),
      );
    });
  return admin;
}

/** Opens the configured database (refusing a PGlite dir a running server holds), runs, reports. */
async function withAccounts(run: (accounts: AccountAdmin) => Promise<string>): Promise<void> {
  let db: DatabaseService | undefined;
  try {
    // Imported here, not at the top: the database stack is heavy and `netlab --help` must stay quick.
    const { loadConfig } = await import('../../config/config.loader');
    const { runningServerPid } = await import('../../common/server-pid');
    const { openConfiguredDatabase } = await import('../../database/configured-database');
    const { AccountAdmin } = await import('../admin/account-admin');
    const config = loadConfig(process.env);
    if (!config.databaseUrl) {
      const pid = runningServerPid(config.dataDir);
      if (pid) {
        throw new Error(
          `the netlab server (pid ${pid}) is using the embedded database in ${config.dataDir}; stop it first (only one process may open it)`,
        );
      }
    }
    db = await openConfiguredDatabase(config);
    console.log(await run(new AccountAdmin(db)));
  } catch (error) {
    console.error(`netlab admin: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await db?.close();
  }
}
