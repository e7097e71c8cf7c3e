import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where the learner's home is mounted inside the sandbox. */
export const SANDBOX_HOME = '/home/learner';

/** The unprivileged identity the shell runs as when the server runs as root (nobody/nogroup). */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 };

/** Finds an executable on $PATH. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, program);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * The bubblewrap argv around `command`: the host's system read-only, a private tmpfs /tmp, /root,
 * /home and the server's working tree hidden, the learner's private home (kubeconfig inside), new
 * PID/IPC/UTS/user/cgroup namespaces, and the host network shared — the API listens on loopback, and
 * a separate network namespace could not reach it (trade-off: the shell can open other connections
 * the host could; see infra/README.md).
 */
export function bwrapArgv(bwrap: string, home: string, command: string[], hidden: string[]): string[] {
  const argv = [
    bwrap,
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var/tmp',
    '--tmpfs',
    '/root',
    '--tmpfs',
    '/home',
  ];
  for (const dir of hidden) if (existsSync(dir)) argv.push('--tmpfs', dir);
  argv.push(
    '--bind',
    home,
    SANDBOX_HOME,
    '--unshare-all',
    '--share-net',
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
    ...command,
  );
  return argv;
}
