import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where the learner's home is inside the sandbox. */
export const SANDBOX_HOME = '/home/learner';
/** Where the sandbox finds what the server hands it (launcher, home seed, API socket). */
export const SANDBOX_RUN = '/run/netlab';

/** What one toolbox sandbox may use. */
export interface SandboxLimits {
  /** Bytes of the private /tmp, /var/tmp and home (each a tmpfs of this size). */
  tmpfsBytes: number;
  /** Processes of the toolbox's uid (RLIMIT_NPROC; only when the shell runs under its own uid). */
  processes: number;
  /** Open files per process (RLIMIT_NOFILE). */
  openFiles: number;
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Bytes of data segment per process (RLIMIT_DATA: heap and private writable mappings). */
  memoryBytes: number;
  /** Bytes of one file (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Concurrent shells per cluster. */
  sessions: number;
}

/** The defaults: ample for kubectl, curl and a few background jobs; nothing for a fork bomb. */
export const SANDBOX_LIMITS: SandboxLimits = {
  tmpfsBytes: 64 * 1024 * 1024,
  processes: 128,
  openFiles: 1024,
  cpuSeconds: 600,
  memoryBytes: 1024 * 1024 * 1024,
  fileBytes: 64 * 1024 * 1024,
  sessions: 4,
};

/** Finds an executable on $PATH. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, program);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** What the sandbox is built from. */
export interface SandboxPlan {
  bwrap: string;
  /** Node, to run the launcher inside. */
  node: string;
  /** Host paths bound read-only into SANDBOX_RUN. */
  launcher: string;
  seed: string;
  /** Host path of the API bridge's unix socket. */
  socket: string;
  /** The port the kubeconfig names; the launcher listens on 127.0.0.1:<port> inside. */
  port: number;
  /** Host directories hidden under empty tmpfs mounts (the server's tree and data). */
  hidden: string[];
  command: string[];
  limits: SandboxLimits;
}

/**
 * The bubblewrap argv around `command`: the host's system read-only; private size-limited tmpfs
 * /tmp, /var/tmp and home (filled from the seed by the launcher); /root, /home and the server's tree
 * hidden; new user (with further user namespaces disabled), PID, IPC, UTS, cgroup and **network**
 * namespaces — inside, only loopback exists, and the launcher forwards the kubeconfig's port to the
 * API socket bound in from outside, so this cluster's API is the one thing reachable.
 */
export function bwrapArgv(plan: SandboxPlan): string[] {
  const size = String(plan.limits.tmpfsBytes);
  const argv = [plan.bwrap, '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  argv.push('--size', size, '--tmpfs', '/tmp', '--size', size, '--tmpfs', '/var/tmp');
  argv.push('--tmpfs', '/root', '--tmpfs', '/home', '--tmpfs', '/run');
  for (const dir of plan.hidden) if (existsSync(dir)) argv.push('--tmpfs', dir);
  argv.push('--size', size, '--tmpfs', SANDBOX_HOME);
  argv.push('--dir', SANDBOX_RUN);
  argv.push('--ro-bind', plan.launcher, `${SANDBOX_RUN}/launcher.mjs`);
  argv.push('--ro-bind', plan.seed, `${SANDBOX_RUN}/seed`);
  argv.push('--bind', plan.socket, `${SANDBOX_RUN}/api.sock`);
  argv.push(
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--hostname',
    'toolbox',
    '--chdir',
    SANDBOX_HOME,
    '--setenv',
    'HOME',
    SANDBOX_HOME,
    '--setenv',
    'KUBECONFIG',
    `${SANDBOX_HOME}/.kube/config`,
    '--setenv',
    'PATH',
    '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--setenv',
    'USER',
    'learner',
    '--',
    plan.node,
    `${SANDBOX_RUN}/launcher.mjs`,
    `${SANDBOX_RUN}/api.sock`,
    String(plan.port),
    `${SANDBOX_RUN}/seed`,
    SANDBOX_HOME,
    '--',
    ...plan.command,
  );
  return argv;
}

/** `prlimit` around `argv`: the per-process limits, and the per-uid process count when `perUid`. */
export function prlimitArgv(
  prlimit: string,
  limits: SandboxLimits,
  perUid: boolean,
  argv: string[],
): string[] {
  return [
    prlimit,
    ...(perUid ? [`--nproc=${limits.processes}`] : []),
    `--nofile=${limits.openFiles}`,
    `--cpu=${limits.cpuSeconds}`,
    `--data=${limits.memoryBytes}`,
    `--fsize=${limits.fileBytes}`,
    '--',
    ...argv,
  ];
}
