import type { ProviderKind } from '@netlab/infra';
import type { ReadyPoolTarget } from './ready-pool.setting';

/**
 * The server's configuration, parsed and validated once at boot (see config.loader.ts; every variable
 * is in server/README.md, "Configuration"). Paths are absolute.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** NETLAB_DATA_DIR: the embedded database and generated secrets live here. */
  dataDir: string;
  /** PostgreSQL URL, or undefined for embedded PGlite under `${dataDir}/pglite`. */
  databaseUrl: string | undefined;
  provider: ProviderKind;
  kubeconfigPath: string | undefined;
  /** NETLAB_POOL, e.g. "2n-cni=2,1n-nocni=1" (kind only), already checked by `parsePoolTargets`. */
  pool: string | undefined;
  /** NETLAB_POOL_CONCURRENCY: warm-pool creates in flight at once (parallel kind creates are flaky). */
  poolConcurrency: number;
  /** NETLAB_READY_POOL: labs whose clusters are provisioned ahead (setup, fault, toolbox), how many each. */
  readyPool: ReadyPoolTarget[];
  /** NETLAB_KIND_INTERNAL_KUBECONFIG: hand out kind's internal kubeconfigs (server in a container). */
  kindInternalKubeconfig: boolean;
  labsDir: string;
  publicUrl: string;
  registration: 'open' | 'invite' | 'closed';
  /**
   * NETLAB_TRUST_PROXY: Express's `trust proxy`: `false` (the socket's address is the client), the
   * number of reverse proxies in front, or the addresses/CIDRs (and loopback | linklocal |
   * uniquelocal) of trusted proxies; then the client address comes from X-Forwarded-For.
   */
  trustProxy: false | number | string[];
  /** NETLAB_LOG_LEVEL: the least severe JSON log line written (pino level; `silent`: none). */
  logLevel: LogLevel;
  /** Session signing secret: from NETLAB_SESSION_SECRET or generated into `${dataDir}/secrets.json` (0600). */
  sessionSecret: string;
  attempts: {
    /** Clusters provisioning or live at once, all users. */
    capacity: number;
    /** Live attempts per learner. */
    perUserQuota: number;
    /** Provisioning jobs run at once. */
    provisionConcurrency: number;
    defaultTtlMinutes: number;
    defaultIdleMinutes: number;
  };
}
/** pino's levels, most to least severe, and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Nest injection token of the {@link AppConfig}. */
export const APP_CONFIG = Symbol('AppConfig');
