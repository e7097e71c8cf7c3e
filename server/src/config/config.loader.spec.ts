import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrorCode } from './config.error';
import { loadConfig } from './config.loader';

describe(loadConfig.name, () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-config-'));
    dirs.push(dir);
    return dir;
  }

  /** Loads with a private root and cwd so the real repository's .data is never touched. */
  function sut(env: NodeJS.ProcessEnv, warnings: string[] = [], labs: string[] = []) {
    const root = tempDir();
    for (const lab of labs) mkdirSync(join(root, lab));
    return {
      root,
      config: loadConfig(env, {
        root,
        cwd: join(root, 'cwd'),
        catalogDir: root,
        warn: (m) => warnings.push(m),
      }),
    };
  }

  function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
    try {
      sut(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe(ConfigErrorCode.CONFIG_INVALID);
      return (error as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  }

  it('should use the documented defaults when nothing is set', () => {
    const { root, config } = sut({});
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: join(root, '.data'),
      databaseUrl: undefined,
      provider: 'sim',
      kubeconfigPath: undefined,
      pool: undefined,
      poolConcurrency: 1,
      readyPool: [],
      kindInternalKubeconfig: false,
      labsDir: root,
      publicUrl: 'http://127.0.0.1:8080',
      registration: 'open',
      trustProxy: false,
      logLevel: 'info',
      sessionSecret: expect.stringMatching(/^[\w-]{64}$/) as unknown as string,
      attempts: {
        capacity: 50,
        perUserQuota: 2,
        provisionConcurrency: 4,
        defaultTtlMinutes: 120,
        defaultIdleMinutes: 30,
      },
    });
  });

  it.each(['off', 'none', '0'])('should accept NETLAB_POOL=%s, which turns the warm pool off', (pool) => {
    const { config } = sut({ NETLAB_POOL: pool });
    expect(config.pool).toBe(pool);
  });

  it('should read the labs to provision ahead from NETLAB_READY_POOL', () => {
    const { config } = sut({ NETLAB_READY_POOL: 'lab-a=5, lab-b=0' }, [], ['lab-a', 'lab-b']);
    expect(config.readyPool).toEqual([{ slug: 'lab-a', size: 5 }]);
  });

  it('should name each bad NETLAB_READY_POOL entry and a lab that is not in the catalog', () => {
    expect(problemsOf({ NETLAB_READY_POOL: 'lab-a=five,Lab_B=1,lab-c' })).toEqual([
      'NETLAB_READY_POOL="lab-a=five,Lab_B=1,lab-c": "lab-a=five": "five" is not a whole number from 0 to 200',
      'NETLAB_READY_POOL="lab-a=five,Lab_B=1,lab-c": "Lab_B=1": "Lab_B" is not a lab slug (a folder name such as dns-egress-blocked)',
      'NETLAB_READY_POOL="lab-a=five,Lab_B=1,lab-c": "lab-c": expected <lab-slug>=<clusters>, e.g. svc-selector-mismatch=5',
    ]);
    expect(problemsOf({ NETLAB_READY_POOL: 'no-such-lab=2' })).toEqual([
      expect.stringMatching(
        /^NETLAB_READY_POOL="no-such-lab=2": no lab no-such-lab in .* \(the slugs are its folder names\)$/,
      ),
    ]);
  });

  it('should read every variable when all are set', () => {
    const dir = tempDir();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\n');
    const { config } = sut({
      PORT: '3000',
      HOST: '0.0.0.0',
      NETLAB_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: 'postgresql://netlab:pw@db:5432/netlab',
      NETLAB_PROVIDER: 'external',
      NETLAB_KUBECONFIG: kubeconfig,
      NETLAB_POOL: '2n-cni=2,1n-nocni=1',
      NETLAB_POOL_CONCURRENCY: '2',
      NETLAB_KIND_INTERNAL_KUBECONFIG: 'true',
      NETLAB_LABS_DIR: dir,
      NETLAB_PUBLIC_URL: 'https://labs.example.org/',
      NETLAB_REGISTRATION: 'invite',
      NETLAB_SESSION_SECRET: 's'.repeat(40),
      NETLAB_CAPACITY: '200',
      NETLAB_USER_QUOTA: '3',
      NETLAB_PROVISION_CONCURRENCY: '8',
      NETLAB_ATTEMPT_TTL_MINUTES: '90',
      NETLAB_IDLE_MINUTES: '20',
      NETLAB_TRUST_PROXY: '1',
      NETLAB_LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: join(dir, 'data'),
      databaseUrl: 'postgresql://netlab:pw@db:5432/netlab',
      provider: 'external',
      kubeconfigPath: kubeconfig,
      pool: '2n-cni=2,1n-nocni=1',
      poolConcurrency: 2,
      kindInternalKubeconfig: true,
      labsDir: dir,
      publicUrl: 'https://labs.example.org',
      registration: 'invite',
      trustProxy: 1,
      logLevel: 'warn',
      sessionSecret: 's'.repeat(40),
      attempts: {
        capacity: 200,
        perUserQuota: 3,
        provisionConcurrency: 8,
        defaultTtlMinutes: 90,
        defaultIdleMinutes: 20,
      },
    });
  });

  it('should report every bad value at once, naming the variable, the value and what is expected', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        NETLAB_PROVIDER: 'kube',
        DATABASE_URL: 'mysql://root:hunter2@db/netlab',
        NETLAB_REGISTRATION: 'public',
        NETLAB_POOL: '2n=1',
        NETLAB_CAPACITY: '0',
        NETLAB_PUBLIC_URL: 'labs.example.org',
        NETLAB_SESSION_SECRET: 'too-short',
      }),
    ).toEqual([
      'PORT="eighty": expected a whole number from 0 to 65535 (default 8080)',
      'DATABASE_URL="mysql://root:***@db/netlab": expected a PostgreSQL URL such as postgresql://user:password@host:5432/netlab, or unset for the embedded PGlite database',
      'NETLAB_PROVIDER="kube": expected one of sim | kind | external (default sim)',
      'NETLAB_POOL="2n=1": "2n=1": "2n" is not a profile; expected <nodes>n-cni or <nodes>n-nocni, e.g. 2n-cni',
      'NETLAB_PUBLIC_URL="labs.example.org": expected the http(s) URL users open, e.g. https://labs.example.org',
      'NETLAB_REGISTRATION="public": expected one of open | invite | closed (default open)',
      'NETLAB_SESSION_SECRET (9 characters, hidden): expected at least 32 characters (e.g. `openssl rand -base64 48`)',
      'NETLAB_CAPACITY="0": expected a whole number from 1 to 100000 (default 50)',
    ]);
  });

  it('should read the trusted proxies as a hop count or a list of addresses when NETLAB_TRUST_PROXY is set', () => {
    expect(sut({ NETLAB_TRUST_PROXY: 'false' }).config.trustProxy).toBe(false);
    expect(sut({ NETLAB_TRUST_PROXY: '2' }).config.trustProxy).toBe(2);
    expect(sut({ NETLAB_TRUST_PROXY: '10.0.0.0/8, loopback,fd00::/8,192.0.2.1' }).config.trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      'fd00::/8',
      '192.0.2.1',
    ]);
  });

  it('should refuse a NETLAB_TRUST_PROXY that trusts every sender or is not an address, and an unknown log level', () => {
    const expected =
      'expected false (default: no proxy), the number of reverse proxies in front (1-10), or the addresses of the trusted proxies, e.g. 10.0.0.0/8,loopback (CIDRs, IPs, loopback | linklocal | uniquelocal)';
    expect(problemsOf({ NETLAB_TRUST_PROXY: 'true', NETLAB_LOG_LEVEL: 'verbose' })).toEqual([
      `NETLAB_TRUST_PROXY="true": "true" would let every client choose its own address through X-Forwarded-For (and escape the per-address sign-in throttle); ${expected}`,
      'NETLAB_LOG_LEVEL="verbose": expected one of fatal | error | warn | info | debug | trace | silent (default info)',
    ]);
    expect(problemsOf({ NETLAB_TRUST_PROXY: '10.0.0.0/33,proxy.local' })).toEqual([
      `NETLAB_TRUST_PROXY="10.0.0.0/33,proxy.local": "10.0.0.0/33", "proxy.local" are not an address; ${expected}`,
    ]);
    expect(problemsOf({ NETLAB_TRUST_PROXY: '0' })).toEqual([`NETLAB_TRUST_PROXY="0": ${expected}`]);
  });

  it('should require NETLAB_KUBECONFIG when the provider is external', () => {
    expect(problemsOf({ NETLAB_PROVIDER: 'external' })).toEqual([
      'NETLAB_KUBECONFIG (not set): required when NETLAB_PROVIDER=external: the path of the kubeconfig of the cluster to use',
    ]);
  });

  it('should name the resolved path when a kubeconfig or labs directory does not exist', () => {
    const problems = problemsOf({ NETLAB_KUBECONFIG: 'nope.yaml', NETLAB_LABS_DIR: '/no/such/labs' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^NETLAB_KUBECONFIG="nope.yaml": no such file \(resolved to .*\/cwd\/nope.yaml\)$/,
    );
    expect(problems[1]).toBe(
      'NETLAB_LABS_DIR="/no/such/labs": no such directory (resolved to /no/such/labs)',
    );
  });

  it('should refuse an idle timeout longer than the attempt TTL', () => {
    expect(problemsOf({ NETLAB_ATTEMPT_TTL_MINUTES: '30', NETLAB_IDLE_MINUTES: '45' })).toEqual([
      'NETLAB_IDLE_MINUTES="45": must not exceed NETLAB_ATTEMPT_TTL_MINUTES (30)',
    ]);
  });

  it('should treat empty values as unset and resolve a relative data dir against the cwd', () => {
    const { root, config } = sut({ PORT: '', NETLAB_DATA_DIR: 'var/netlab' });
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(join(root, 'cwd', 'var/netlab'));
  });

  it('should derive the public URL from host and port when it is not set', () => {
    expect(sut({ HOST: '0.0.0.0', PORT: '9000' }).config.publicUrl).toBe('http://localhost:9000');
    expect(sut({ HOST: '::1', PORT: '9000' }).config.publicUrl).toBe('http://[::1]:9000');
  });

  describe('session secret', () => {
    it('should generate the secret into secrets.json with mode 0600 and reuse it when restarted', () => {
      const dataDir = join(tempDir(), 'data');
      const first = sut({ NETLAB_DATA_DIR: dataDir }).config.sessionSecret;
      const file = join(dataDir, 'secrets.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ sessionSecret: first });
      expect(sut({ NETLAB_DATA_DIR: dataDir }).config.sessionSecret).toBe(first);
    });

    it('should warn when secrets.json is readable by others', () => {
      const dataDir = tempDir();
      sut({ NETLAB_DATA_DIR: dataDir });
      chmodSync(join(dataDir, 'secrets.json'), 0o644);
      const warnings: string[] = [];
      sut({ NETLAB_DATA_DIR: dataDir }, warnings);
      expect(warnings).toEqual([
        `${join(dataDir, 'secrets.json')} is readable by other users (mode 0644); run: chmod 600 ${join(dataDir, 'secrets.json')}`,
      ]);
    });

    it('should refuse, not overwrite, a secrets.json it cannot read', () => {
      const dataDir = tempDir();
      const file = join(dataDir, 'secrets.json');
      writeFileSync(file, '{ not json', { mode: 0o600 });
      expect(() => sut({ NETLAB_DATA_DIR: dataDir })).toThrow(
        `${file}: not valid JSON; fix or move the file away (a new secret signs everyone out), or set NETLAB_SESSION_SECRET`,
      );
      expect(readFileSync(file, 'utf8')).toBe('{ not json');
    });

    it('should not write secrets.json when NETLAB_SESSION_SECRET is given', () => {
      const dataDir = tempDir();
      sut({ NETLAB_DATA_DIR: dataDir, NETLAB_SESSION_SECRET: 'k'.repeat(32) });
      expect(() => statSync(join(dataDir, 'secrets.json'))).toThrow(/ENOENT/);
    });
  });
});
