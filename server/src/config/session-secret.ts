import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ConfigErrorCode } from './config.error';

/** The file in the data directory holding generated secrets. */
export const SECRETS_FILE = 'secrets.json';

interface SecretsFile {
  sessionSecret: string;
}

/**
 * The session signing secret kept in `${dataDir}/secrets.json` (mode 0600): read when it exists,
 * generated on first start otherwise, so sessions survive a restart. `warn` hears about a file that
 * others can read. A file that exists but cannot be used is an error, never overwritten.
 */
export function loadOrCreateSessionSecret(dataDir: string, warn: (message: string) => void): string {
  const file = join(dataDir, SECRETS_FILE);
  const unusable = (why: string) =>
    new ConfigError(ConfigErrorCode.SECRETS_UNUSABLE, [
      `${file}: ${why}; fix or move the file away (a new secret signs everyone out), or set NETLAB_SESSION_SECRET`,
    ]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(String((error as Error).message));
    return create(dataDir, file, unusable);
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    warn(
      `${file} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${file}`,
    );
  }
  let parsed: Partial<SecretsFile>;
  try {
    parsed = JSON.parse(text) as Partial<SecretsFile>;
  } catch {
    throw unusable('not valid JSON');
  }
  if (typeof parsed.sessionSecret !== 'string' || parsed.sessionSecret.length < 32) {
    throw unusable('"sessionSecret" is missing or shorter than 32 characters');
  }
  return parsed.sessionSecret;
}

function create(dataDir: string, file: string, unusable: (why: string) => ConfigError): string {
  const secrets: SecretsFile = { sessionSecret: randomBytes(48).toString('base64url') };
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // `wx`: if another process created it meanwhile, fail rather than replace its secret.
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600); // the umask may have narrowed the mode further, never widened it
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return loadOrCreateSessionSecret(dataDir, () => {});
    throw unusable(`cannot be created: ${(error as Error).message}`);
  }
  return secrets.sessionSecret;
}
