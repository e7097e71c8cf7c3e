import type { ProviderKind } from '@netlab/infra';

/** The server's configuration, parsed and validated once at boot (see config.loader.ts). */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL URL, or undefined for embedded PGlite under `${dataDir}/pglite`. */
  databaseUrl: string | undefined;
  provider: ProviderKind;
  kubeconfigPath: string | undefined;
  /** NETLAB_POOL, e.g. "2n-cni=2,1n-nocni=1" (kind only). */
  pool: string | undefined;
  labsDir: string;
  publicUrl: string;
  registration: 'open' | 'invite' | 'closed';
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
/** Nest injection token of the {@link AppConfig}. */
export const APP_CONFIG = Symbol('AppConfig');
