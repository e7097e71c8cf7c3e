import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { parsePoolTargets, poolTurnedOff } from '@netlab/infra';
import { z } from 'zod';
import { LOG_LEVELS } from './app-config';
import { parseReadyPool } from './ready-pool.setting';

/** What relative paths and defaults are resolved against. */
export interface ConfigContext {
  /** Directory relative paths in variables are resolved against (where the user typed the command). */
  cwd: string;
  /** The repository (or image) root: the default data directory is `<root>/.data`. */
  root: string;
  /** The lab catalog shipped with netlab (the default NETLAB_LABS_DIR). */
  catalogDir: string;
}

/** Empty strings count as unset, as compose files pass `${X:-}` through. */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function wholeNumber(min: number, max: number, fallback: number) {
  const expected = `expected a whole number from ${min} to ${max} (default ${fallback})`;
  return z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^\d+$/, { error: expected })
      .transform(Number)
      .refine((n) => n >= min && n <= max, { error: expected })
      .optional()
      .transform((n) => n ?? fallback),
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z.preprocess(
    blank,
    z
      .enum(values, { error: `expected one of ${values.join(' | ')} (default ${fallback})` })
      .optional()
      .transform((v) => v ?? fallback),
  );
}

function path(ctx: ConfigContext, kind: 'file' | 'directory', fallback?: string) {
  return z.preprocess(
    blank,
    z
      .string()
      .optional()
      .transform((v) => (v === undefined ? fallback : isAbsolute(v) ? v : resolve(ctx.cwd, v)))
      .superRefine((p, issue) => {
        if (p === undefined || kind === 'directory' || existsSync(p)) return;
        issue.addIssue({ code: 'custom', message: `no such file (resolved to ${p})` });
      })
      .superRefine((p, issue) => {
        if (p === undefined || kind === 'file') return;
        if (existsSync(p) && !statSync(p).isDirectory()) {
          issue.addIssue({ code: 'custom', message: `not a directory (resolved to ${p})` });
        }
      }),
  );
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_PROXY =
  'expected false (default: no proxy), the number of reverse proxies in front (1-10), or the addresses of the trusted proxies, e.g. 10.0.0.0/8,loopback (CIDRs, IPs, loopback | linklocal | uniquelocal)';

/** `false`, a hop count, or a list of proxy addresses; `true` (trust any sender) is refused. */
function trustProxy() {
  return z.preprocess(
    blank,
    z
      .string()
      .trim()
      .transform((v, issue): false | number | string[] => {
        if (v === 'false') return false;
        if (v === 'true') {
          issue.addIssue({
            code: 'custom',
            message: `"true" would let every client choose its own address through X-Forwarded-For (and escape the per-address sign-in throttle); ${TRUST_PROXY}`,
          });
          return z.NEVER;
        }
        if (/^\d+$/.test(v)) {
          const hops = Number(v);
          if (hops >= 1 && hops <= 10) return hops;
          issue.addIssue({ code: 'custom', message: TRUST_PROXY });
          return z.NEVER;
        }
        const entries = v.split(',').map((e) => e.trim());
        const bad = entries.filter((e) => !TRUST_PROXY_NAMES.includes(e) && !isAddressOrCidr(e));
        if (bad.length) {
          issue.addIssue({
            code: 'custom',
            message: `${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an address; ${TRUST_PROXY}`,
          });
          return z.NEVER;
        }
        return entries;
      })
      .optional()
      .transform((v) => v ?? false),
  );
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const POSTGRES_URL =
  'expected a PostgreSQL URL such as postgresql://user:password@host:5432/netlab, or unset for the embedded PGlite database';

/**
 * The environment variables the server reads, each validated with a message that names what is
 * expected. Keys are the variable names so a problem's path is the variable to fix.
 */
export function envSchema(ctx: ConfigContext) {
  return (
    z
      .object({
        PORT: wholeNumber(0, 65535, 8080),
        HOST: z.preprocess(
          blank,
          z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9.:_-]+$/, {
              error: 'expected a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0',
            })
            .optional()
            .transform((v) => v ?? '127.0.0.1'),
        ),
        NETLAB_DATA_DIR: path(ctx, 'directory', resolve(ctx.root, '.data')),
        DATABASE_URL: z.preprocess(
          blank,
          z
            .string()
            .trim()
            .refine(
              (v) => {
                try {
                  return ['postgres:', 'postgresql:'].includes(new URL(v).protocol);
                } catch {
                  return false;
                }
              },
              { error: POSTGRES_URL },
            )
            .optional(),
        ),
        NETLAB_PROVIDER: oneOf(['sim', 'kind', 'external'], 'sim'),
        NETLAB_KUBECONFIG: path(ctx, 'file'),
        NETLAB_POOL: z.preprocess(
          blank,
          z
            .string()
            .trim()
            .superRefine((v, issue) => {
              if (poolTurnedOff(v)) return;
              for (const problem of parsePoolTargets(v).problems) {
                issue.addIssue({ code: 'custom', message: problem });
              }
            })
            .optional(),
        ),
        NETLAB_POOL_CONCURRENCY: wholeNumber(1, 16, 1),
        NETLAB_READY_POOL: z.preprocess(
          blank,
          z
            .string()
            .trim()
            .transform((v, issue) => {
              const { targets, problems } = parseReadyPool(v);
              for (const problem of problems) issue.addIssue({ code: 'custom', message: problem });
              return targets;
            })
            .optional()
            .transform((targets) => targets ?? []),
        ),
        NETLAB_KIND_INTERNAL_KUBECONFIG: oneOf(['true', 'false'], 'false'),
        NETLAB_LABS_DIR: path(ctx, 'directory', ctx.catalogDir).superRefine((p, issue) => {
          if (p !== undefined && !existsSync(p)) {
            issue.addIssue({ code: 'custom', message: `no such directory (resolved to ${p})` });
          }
        }),
        NETLAB_PUBLIC_URL: z.preprocess(
          blank,
          z
            .string()
            .trim()
            .refine(
              (v) => {
                try {
                  return ['http:', 'https:'].includes(new URL(v).protocol);
                } catch {
                  return false;
                }
              },
              { error: 'expected the http(s) URL users open, e.g. https://labs.example.org' },
            )
            .transform((v) => v.replace(/\/+$/, ''))
            .optional(),
        ),
        NETLAB_REGISTRATION: oneOf(['open', 'invite', 'closed'], 'open'),
        NETLAB_SESSION_SECRET: z.preprocess(
          blank,
          z
            .string()
            .min(32, { error: 'expected at least 32 characters (e.g. `openssl rand -base64 48`)' })
            .optional(),
        ),
        NETLAB_CAPACITY: wholeNumber(1, 100_000, 50),
        NETLAB_USER_QUOTA: wholeNumber(1, 1000, 2),
        NETLAB_PROVISION_CONCURRENCY: wholeNumber(1, 256, 4),
        NETLAB_ATTEMPT_TTL_MINUTES: wholeNumber(5, 7 * 24 * 60, 120),
        NETLAB_IDLE_MINUTES: wholeNumber(1, 7 * 24 * 60, 30),
        NETLAB_TRUST_PROXY: trustProxy(),
        NETLAB_LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
      })
      // Runs even when single variables failed (`when`), so every problem is reported at once; the
      // values may then be unparsed, hence the guards.
      .check(
        z.superRefine(
          (env, issue) => {
            if (env.NETLAB_PROVIDER === 'external' && env.NETLAB_KUBECONFIG === undefined) {
              issue.addIssue({
                code: 'custom',
                path: ['NETLAB_KUBECONFIG'],
                message:
                  'required when NETLAB_PROVIDER=external: the path of the kubeconfig of the cluster to use',
              });
            }
            const labsDir = env.NETLAB_LABS_DIR;
            if (Array.isArray(env.NETLAB_READY_POOL) && typeof labsDir === 'string' && existsSync(labsDir)) {
              const unknown = env.NETLAB_READY_POOL.filter((t) => !existsSync(join(labsDir, t.slug)));
              if (unknown.length)
                issue.addIssue({
                  code: 'custom',
                  path: ['NETLAB_READY_POOL'],
                  message: `no lab ${unknown.map((t) => t.slug).join(', ')} in ${labsDir} (the slugs are its folder names)`,
                });
            }
            const ttl = env.NETLAB_ATTEMPT_TTL_MINUTES;
            const idle = env.NETLAB_IDLE_MINUTES;
            if (typeof ttl === 'number' && typeof idle === 'number' && idle > ttl) {
              issue.addIssue({
                code: 'custom',
                path: ['NETLAB_IDLE_MINUTES'],
                message: `must not exceed NETLAB_ATTEMPT_TTL_MINUTES (${ttl})`,
              });
            }
          },
          { when: () => true },
        ),
      )
  );
}

/** The parsed variables. */
export type ParsedEnv = z.output<ReturnType<typeof envSchema>>;
