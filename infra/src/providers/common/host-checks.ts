import { readFileSync } from 'node:fs';
import { ProviderError, ProviderErrorCode } from '../../errors';
import { RunError, type CommandRunner } from './command-runner';
import { compareVersions, parseVersion } from './version';

/** What the host checks read from the machine, injectable so tests need no real host. */
export interface HostFacts {
  /** The file's text, or undefined when it cannot be read (e.g. not Linux). */
  readFile(path: string): string | undefined;
}

/** The real machine. */
export const realHostFacts: HostFacts = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** One thing the host lacks, with the fix. */
export interface HostProblem {
  check: 'docker' | 'kind' | 'kind-version' | 'inotify' | 'memory';
  message: string;
  fix: string;
}

/** What the host checks found. */
export interface HostReport {
  problems: HostProblem[];
  dockerVersion?: string;
  kindVersion?: string;
}

/** What a kind host needs. */
export interface KindHostRequirements {
  /** Oldest kind accepted (kindnet enforces NetworkPolicy from v0.24). */
  minKindVersion: string;
  /** Memory the next cluster will need, in bytes; checked against MemAvailable. */
  clusterMemoryBytes: number;
  /** kind's documented minimums for many clusters on one host. */
  minInotifyWatches: number;
  minInotifyInstances: number;
}

/** kind v0.24, 524288 watches and 512 instances (kind's "known issues" page). */
export const DEFAULT_KIND_HOST_REQUIREMENTS: Omit<KindHostRequirements, 'clusterMemoryBytes'> = {
  minKindVersion: '0.24.0',
  minInotifyWatches: 524_288,
  minInotifyInstances: 512,
};

const INOTIFY_FIX =
  'raise the limits: `sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512`, ' +
  'and keep them across reboots with those two lines in /etc/sysctl.d/99-netlab-kind.conf';

/** Checks Docker, kind, inotify limits and free memory; returns every problem found, each with its fix. */
export async function checkKindHost(
  runner: CommandRunner,
  req: KindHostRequirements,
  facts: HostFacts = realHostFacts,
): Promise<HostReport> {
  const report: HostReport = { problems: [] };
  const add = (p: HostProblem) => report.problems.push(p);

  try {
    const { stdout } = await runner.run(['docker', 'info', '--format', '{{.ServerVersion}}'], {
      timeoutMs: 15_000,
    });
    report.dockerVersion = stdout.trim();
  } catch (err) {
    if (err instanceof RunError && err.failure === 'not-found') {
      add({
        check: 'docker',
        message: 'the docker CLI is not installed (not on the PATH)',
        fix: 'install Docker (https://docs.docker.com/engine/install/), or use the sim provider (--provider sim)',
      });
    } else {
      add({
        check: 'docker',
        message: `no Docker engine answers: ${err instanceof RunError ? err.output : String(err)}`,
        fix: 'start Docker (`sudo systemctl start docker`), check that this user may use it (`docker info`), or use the sim provider (--provider sim)',
      });
    }
  }

  try {
    const { stdout } = await runner.run(['kind', 'version'], { timeoutMs: 15_000 });
    const version = parseVersion(stdout);
    if (!version) {
      add({
        check: 'kind',
        message: `cannot read the kind version from "${stdout.trim()}"`,
        fix: 'reinstall kind',
      });
    } else {
      report.kindVersion = version;
      if (compareVersions(version, req.minKindVersion) < 0) {
        add({
          check: 'kind-version',
          message: `kind v${version} is too old: netlab needs v${req.minKindVersion} or newer (kindnet enforces NetworkPolicy from v0.24)`,
          fix: 'install a newer kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
        });
      }
    }
  } catch (err) {
    add({
      check: 'kind',
      message:
        err instanceof RunError && err.failure === 'not-found'
          ? 'kind is not installed (not on the PATH)'
          : `kind does not run: ${err instanceof RunError ? err.output : String(err)}`,
      fix: `install kind v${req.minKindVersion} or newer: https://kind.sigs.k8s.io/docs/user/quick-start/#installation`,
    });
  }

  const watches = readNumber(facts, '/proc/sys/fs/inotify/max_user_watches');
  const instances = readNumber(facts, '/proc/sys/fs/inotify/max_user_instances');
  const low: string[] = [];
  if (watches !== undefined && watches < req.minInotifyWatches) {
    low.push(`fs.inotify.max_user_watches is ${watches} (needs ${req.minInotifyWatches})`);
  }
  if (instances !== undefined && instances < req.minInotifyInstances) {
    low.push(`fs.inotify.max_user_instances is ${instances} (needs ${req.minInotifyInstances})`);
  }
  if (low.length) {
    add({
      check: 'inotify',
      message: `inotify limits too low for kind clusters (pods fail with "too many open files"): ${low.join(', ')}`,
      fix: INOTIFY_FIX,
    });
  }

  const available = memAvailableBytes(facts);
  if (available !== undefined && available < req.clusterMemoryBytes) {
    add({
      check: 'memory',
      message: `too little memory for another cluster: ${mib(available)} MiB available, a cluster needs about ${mib(req.clusterMemoryBytes)} MiB`,
      fix: 'delete clusters nobody uses (`kind get clusters`; the reaper does this for netlab clusters), lower the warm pool size, or add memory',
    });
  }
  return report;
}

/** Throws a HOST_NOT_READY {@link ProviderError} listing every problem and its fix, if there are any. */
export function assertHostReady(report: HostReport): void {
  if (!report.problems.length) return;
  const lines = report.problems.map((p) => `- ${p.message}\n  fix: ${p.fix}`);
  throw new ProviderError(
    ProviderErrorCode.HOST_NOT_READY,
    `this host cannot run kind clusters:\n${lines.join('\n')}`,
  );
}

function readNumber(facts: HostFacts, path: string): number | undefined {
  const text = facts.readFile(path)?.trim();
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function memAvailableBytes(facts: HostFacts): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s*kB/m.exec(facts.readFile('/proc/meminfo') ?? '');
  return m ? Number(m[1]) * 1024 : undefined;
}

function mib(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
