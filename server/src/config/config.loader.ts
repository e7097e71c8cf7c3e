import { CATALOG_DIR } from '@netlab/labs';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from './app-config';
import { ConfigError, ConfigErrorCode } from './config.error';
import { envSchema, type ConfigContext } from './config.schema';
import { loadOrCreateSessionSecret } from './session-secret';

/** Options of {@link loadConfig}; the defaults suit the real server. */
export interface LoadConfigOptions extends Partial<ConfigContext> {
  /** Told about settings that work but deserve attention (e.g. a secrets file others can read). */
  warn?: (message: string) => void;
}

/** Variables whose values are never printed, even when wrong. */
const SECRET_VARIABLES = new Set(['NETLAB_SESSION_SECRET']);

/**
 * The server's configuration from environment variables, validated once: every bad or missing value
 * is reported at once in a {@link ConfigError}, one line each naming the variable, its value and what
 * is expected. Relative paths are resolved against the directory the command was typed in (npm's
 * INIT_CWD, else the process's cwd). Creates the data directory and the session secret when needed.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): AppConfig {
  const ctx: ConfigContext = {
    cwd: options.cwd ?? env.INIT_CWD ?? process.cwd(),
    root: options.root ?? fileURLToPath(new URL('../../..', import.meta.url)),
    catalogDir: options.catalogDir ?? CATALOG_DIR,
  };
  const result = envSchema(ctx).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}${shown(name, env[name])}: ${issue.message}`;
    });
    throw new ConfigError(ConfigErrorCode.CONFIG_INVALID, [...new Set(problems)]);
  }
  const e = result.data;
  const dataDir = e.NETLAB_DATA_DIR!;
  const sessionSecret =
    e.NETLAB_SESSION_SECRET ?? loadOrCreateSessionSecret(dataDir, options.warn ?? (() => {}));
  const browseHost = ['0.0.0.0', '::', ''].includes(e.HOST) ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    provider: e.NETLAB_PROVIDER,
    kubeconfigPath: e.NETLAB_KUBECONFIG,
    pool: e.NETLAB_POOL,
    poolConcurrency: e.NETLAB_POOL_CONCURRENCY,
    readyPool: e.NETLAB_READY_POOL,
    kindInternalKubeconfig: e.NETLAB_KIND_INTERNAL_KUBECONFIG === 'true',
    labsDir: e.NETLAB_LABS_DIR!,
    publicUrl:
      e.NETLAB_PUBLIC_URL ?? `http://${browseHost.includes(':') ? `[${browseHost}]` : browseHost}:${e.PORT}`,
    registration: e.NETLAB_REGISTRATION,
    trustProxy: e.NETLAB_TRUST_PROXY,
    logLevel: e.NETLAB_LOG_LEVEL,
    sessionSecret,
    attempts: {
      capacity: e.NETLAB_CAPACITY,
      perUserQuota: e.NETLAB_USER_QUOTA,
      provisionConcurrency: e.NETLAB_PROVISION_CONCURRENCY,
      defaultTtlMinutes: e.NETLAB_ATTEMPT_TTL_MINUTES,
      defaultIdleMinutes: e.NETLAB_IDLE_MINUTES,
    },
  };
}

/** ` is not set` or `="value"`, with secrets and URL passwords hidden. */
function shown(name: string, raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return ' (not set)';
  if (SECRET_VARIABLES.has(name)) return ` (${raw.length} characters, hidden)`;
  return `=${JSON.stringify(raw.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@'))}`;
}
