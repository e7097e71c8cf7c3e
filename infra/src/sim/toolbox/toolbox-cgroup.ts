import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

/** What one cluster's toolbox shells may use together (the cgroup bounds all of them at once). */
export interface CgroupLimits {
  /** Bytes of memory of every shell process of the cluster (memory.max / memory.limit_in_bytes). */
  memoryBytes: number;
  /** Processes of the cluster's shells (pids.max). */
  processes: number;
  /** Share of one CPU, in percent (cpu.max / cpu.cfs_quota_us over a 100 ms period). */
  cpuPercent: number;
}

/** The defaults: kubectl and a few tools fit; a runaway loop or allocation stops at the cluster. */
export const CGROUP_LIMITS: CgroupLimits = {
  memoryBytes: 1024 * 1024 * 1024,
  processes: 256,
  cpuPercent: 50,
};

/** The cgroup layout this host offers, or why toolbox shells cannot be put under cgroups. */
export type CgroupSupport =
  | { version: 2; parent: string }
  | { version: 1; parents: { memory: string; pids: string; cpu: string } }
  | { version: 0; problem: string };

const CONTROLLERS = ['memory', 'pids', 'cpu'] as const;
/** Directory names: `netlab-toolbox-<server pid>-<n>`, so a restarted server can sweep a dead one's. */
export const CGROUP_PREFIX = 'netlab-toolbox-';
const PERIOD_US = 100_000;

/**
 * Finds where this process may create child cgroups with the memory, pids and cpu controllers:
 * cgroup v2 (unified) beneath our own cgroup when its subtree can delegate them, or cgroup v1
 * beneath our own cgroup in each controller's hierarchy. Needs root (the supported deployment).
 */
export function detectCgroups(
  fsRoot = '/sys/fs/cgroup',
  self = safeRead('/proc/self/cgroup'),
  isRoot = process.getuid?.() === 0,
): CgroupSupport {
  if (!isRoot) return { version: 0, problem: 'the server does not run as root' };
  if (!self) return { version: 0, problem: '/proc/self/cgroup is not readable' };
  const lines = self
    .trim()
    .split('\n')
    .map((l) => l.split(':'));
  if (existsSync(join(fsRoot, 'cgroup.controllers'))) {
    const path = lines.find((l) => l[0] === '0')?.[2] ?? '/';
    const parent = resolve(fsRoot, `.${path}`);
    const available = (safeRead(join(parent, 'cgroup.controllers')) ?? '').split(/\s+/);
    const missing = CONTROLLERS.filter((c) => !available.includes(c));
    if (missing.length)
      return { version: 0, problem: `cgroup v2 lacks the ${missing.join(', ')} controller(s) at ${parent}` };
    try {
      writeFileSync(join(parent, 'cgroup.subtree_control'), CONTROLLERS.map((c) => `+${c}`).join(' '));
    } catch (e) {
      return {
        version: 0,
        problem: `cgroup v2: cannot delegate controllers below ${parent} (${(e as Error).message})`,
      };
    }
    return { version: 2, parent };
  }
  const parents: Partial<Record<(typeof CONTROLLERS)[number], string>> = {};
  for (const c of CONTROLLERS) {
    const line = lines.find((l) => (l[1] ?? '').split(',').includes(c));
    const mount = [c, ...readdirSafe(fsRoot).filter((d) => d.split(',').includes(c))].find((d) =>
      existsSync(join(fsRoot, d, 'cgroup.procs')),
    );
    if (!line || !mount)
      return { version: 0, problem: `no cgroup v1 hierarchy with the ${c} controller under ${fsRoot}` };
    parents[c] = resolve(fsRoot, mount, `.${line[2] ?? '/'}`);
  }
  return { version: 1, parents: parents as { memory: string; pids: string; cpu: string } };
}

let counter = 0;

/**
 * One cluster's cgroup for its toolbox shells. The shell's first process joins it itself (before it
 * execs anything, so no child escapes it): the `cgroup.procs` files are handed to the cluster's uid,
 * which can add its own processes but cannot move them out (the parent's files stay root's).
 */
export class ToolboxCgroup {
  private constructor(
    /** The cgroup directories (one for v2, one per controller for v1). */
    readonly dirs: string[],
  ) {}

  /** Creates the cgroup with `limits` for `uid`; throws when the host refuses. */
  static create(
    support: Exclude<CgroupSupport, { version: 0 }>,
    limits: CgroupLimits,
    uid: number,
  ): ToolboxCgroup {
    const name = `${CGROUP_PREFIX}${process.pid}-${++counter}`;
    const quota = String(Math.max(1000, Math.round((PERIOD_US * limits.cpuPercent) / 100)));
    const files: [string, string][] = [];
    let dirs: string[];
    if (support.version === 2) {
      const dir = join(support.parent, name);
      dirs = [dir];
      files.push([join(dir, 'memory.max'), String(limits.memoryBytes)]);
      files.push([join(dir, 'pids.max'), String(limits.processes)]);
      files.push([join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`]);
    } else {
      const { memory, pids, cpu } = support.parents;
      dirs = [join(memory, name), join(pids, name), join(cpu, name)];
      files.push([join(dirs[0]!, 'memory.limit_in_bytes'), String(limits.memoryBytes)]);
      files.push([join(dirs[1]!, 'pids.max'), String(limits.processes)]);
      files.push([join(dirs[2]!, 'cpu.cfs_period_us'), String(PERIOD_US)]);
      files.push([join(dirs[2]!, 'cpu.cfs_quota_us'), quota]);
    }
    const cgroup = new ToolboxCgroup([...new Set(dirs)]);
    try {
      for (const d of cgroup.dirs) mkdirSync(d);
      for (const [file, value] of files) writeFileSync(file, value);
      for (const d of cgroup.dirs) chownSync(join(d, 'cgroup.procs'), uid, uid);
    } catch (e) {
      cgroup.remove();
      throw e;
    }
    return cgroup;
  }

  /** `argv` prefixed so its process joins this cgroup first (paths are ours; nothing from a request). */
  enter(argv: string[]): string[] {
    return [
      '/bin/sh',
      '-c',
      'while [ "$1" != -- ]; do echo $$ > "$1" || { echo "netlab: cannot join the toolbox cgroup" >&2; exit 125; }; shift; done; shift; exec "$@"',
      'netlab-cgroup',
      ...this.dirs.map((d) => join(d, 'cgroup.procs')),
      '--',
      ...argv,
    ];
  }

  /** Removes the cgroup; false while processes are still in it (they are being killed). */
  remove(): boolean {
    let all = true;
    for (const d of this.dirs) {
      try {
        if (existsSync(d)) rmdirSync(d);
      } catch {
        all = false;
      }
    }
    return all;
  }
}

/** Removes the toolbox cgroups a dead server left (their processes are killed first); returns them. */
export function sweepStaleCgroups(support: CgroupSupport): string[] {
  if (support.version === 0) return [];
  const parents = support.version === 2 ? [support.parent] : Object.values(support.parents);
  const removed: string[] = [];
  for (const parent of parents) {
    for (const name of readdirSafe(parent)) {
      const m = new RegExp(`^${CGROUP_PREFIX}(\\d+)-`).exec(name);
      if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      const dir = join(parent, name);
      for (const pid of (safeRead(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      try {
        rmdirSync(dir);
        removed.push(dir);
      } catch {
        // Its processes are still exiting; the next start-up sweeps it.
      }
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
