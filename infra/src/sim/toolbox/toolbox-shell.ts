import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessIO, TerminalSize } from '../runtime/container-runtime';
import type { ResolvedOptions } from '../runtime/context';
import {
  bwrapArgv,
  prlimitArgv,
  SANDBOX_HOME,
  SANDBOX_LIMITS,
  which,
  type SandboxLimits,
} from './toolbox-sandbox';
import { apiEndpoint, ToolboxApiBridge } from './toolbox-api-bridge';
import { TOOLBOX_UIDS } from './toolbox-uids';
import { ptyCommand } from './toolbox-pty';
import {
  CGROUP_LIMITS,
  detectCgroups,
  sweepStaleCgroups,
  ToolboxCgroup,
  type CgroupLimits,
  type CgroupSupport,
} from './toolbox-cgroup';
import { toTerminalSize } from '../runtime/terminal-size';

/** How the toolbox shell is isolated on this host. */
export interface ToolboxIsolation {
  /** `none` only when NETLAB_UNSANDBOXED_TOOLBOX=1 says so; otherwise shells are refused. */
  sandbox: 'bubblewrap' | 'none';
  /** Runs under its own uid (allocated per cluster) when the server is root. */
  unprivileged: boolean;
  pty: 'script' | 'none';
  /** Why the sandbox is unavailable, when it is. */
  problem?: string;
  /** The cgroup version each cluster's shells are bounded by (memory, pids, cpu), or `none` and why. */
  cgroup: 'v1' | 'v2' | 'none';
  cgroupProblem?: string;
}

/** The development switch that allows an unsandboxed toolbox shell (never in production). */
export const UNSANDBOXED_FLAG = 'NETLAB_UNSANDBOXED_TOOLBOX';
const DIR_PREFIX = 'netlab-toolbox-';

let probed: string | null | undefined;
let warned = false;
let swept = false;
let cgroups: CgroupSupport | undefined;

/** The host's cgroup support, probed once (and a dead server's toolbox cgroups swept then). */
function cgroupSupport(): CgroupSupport {
  if (!cgroups) {
    cgroups = detectCgroups();
    sweepStaleCgroups(cgroups);
  }
  return cgroups;
}

/** Whether bubblewrap can build the sandbox here (installed, user and network namespaces allowed). */
function sandboxProblem(): string | undefined {
  if (probed !== undefined) return probed ?? undefined;
  const bwrap = bwrapPath();
  if (!bwrap) probed = 'bubblewrap (bwrap) is not installed; install the Debian package "bubblewrap"';
  else if (!which('prlimit')) probed = 'prlimit (util-linux) is not installed';
  else {
    const r = spawnSync(
      bwrap,
      ['--ro-bind', '/', '/', '--unshare-all', '--unshare-user', '--disable-userns', '--', 'true'],
      { encoding: 'utf8', timeout: 10_000 },
    );
    probed =
      r.status === 0
        ? null
        : `bubblewrap cannot create its namespaces here: ${(r.stderr || String(r.error ?? '')).trim()}`;
  }
  return probed ?? undefined;
}

/** bubblewrap: `NETLAB_BWRAP` when set (a path, e.g. to test its absence), else `bwrap` on the PATH. */
function bwrapPath(): string | undefined {
  const set = process.env.NETLAB_BWRAP;
  if (set !== undefined) return existsSync(set) ? set : undefined;
  return which('bwrap');
}

/** Forgets the cached sandbox check (after installing bubblewrap, or in tests). */
export function resetSandboxProbe(): void {
  probed = undefined;
}

/**
 * Removes toolbox homes and kubeconfigs left by a process that died without cleaning up (its pid is
 * in the directory name), never those of a live process (other sim hosts share the temp dir).
 */
export function sweepStaleToolboxDirs(dir = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lab toolbox pod's real shell: a process on the host with kubectl configured for this cluster,
 * in a bubblewrap sandbox with its own network namespace (only this cluster's API reachable, through
 * a unix-socket bridge), under a uid of its own when the server is root, with size-limited private
 * /tmp and home and rlimits; with a PTY from util-linux `script` for TTY sessions. Without a working
 * sandbox it refuses to start, unless NETLAB_UNSANDBOXED_TOOLBOX=1 (development only) says otherwise.
 */
export class ToolboxShell {
  private dir?: string;
  private uid?: number;
  private cgroup?: ToolboxCgroup;
  private bridge?: Promise<ToolboxApiBridge>;
  private readonly children = new Set<ReturnType<typeof spawn>>();
  private readonly limits: SandboxLimits;

  constructor(
    private readonly options: ResolvedOptions,
    limits: Partial<SandboxLimits> = {},
    private readonly cgroupLimits: CgroupLimits = CGROUP_LIMITS,
  ) {
    this.limits = { ...SANDBOX_LIMITS, ...limits };
    if (!swept) {
      swept = true;
      sweepStaleToolboxDirs();
    }
  }

  /** What isolation this host gives. */
  static isolation(): ToolboxIsolation {
    const problem = sandboxProblem();
    const cg = cgroupSupport();
    return {
      sandbox: problem ? 'none' : 'bubblewrap',
      unprivileged: process.getuid?.() === 0,
      pty: which('script') ? 'script' : 'none',
      ...(problem ? { problem } : {}),
      cgroup: cg.version === 0 ? 'none' : `v${cg.version}`,
      ...(cg.version === 0 ? { cgroupProblem: cg.problem } : {}),
    };
  }

  /** The uid this cluster's shells run as (allocated on first use, when the server is root). */
  private owner(): number | undefined {
    if (process.getuid?.() !== 0) return undefined;
    return (this.uid ??= TOOLBOX_UIDS.allocate());
  }

  private home(): string {
    if (this.dir) return join(this.dir, 'home');
    const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
    chmodSync(dir, 0o711);
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), this.options.kubeconfig, { mode: 0o600 });
    // The same shell setup as the toolbox image (infra/images/toolbox/Dockerfile), so the browser
    // terminal looks alike on kind and on the sim.
    const bashrc = [
      'source /usr/share/bash-completion/bash_completion 2>/dev/null',
      'source <(kubectl completion bash 2>/dev/null)',
      'alias k=kubectl',
      'complete -o default -F __start_kubectl k',
      String.raw`PS1="\[\e[1;32m\]learner@netlab\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ "`,
      // The command log's PROMPT_COMMAND hook: the very file the toolbox image sources.
      readFileSync(new URL('../../../images/toolbox/command-log.bash', import.meta.url), 'utf8'),
    ];
    writeFileSync(join(home, '.bashrc'), `${bashrc.join('\n')}\n`, { mode: 0o644 });
    writeFileSync(join(home, '.bash_profile'), '. ~/.bashrc\n', { mode: 0o644 });
    const uid = this.owner();
    if (uid !== undefined) {
      for (const p of [
        home,
        join(home, '.kube'),
        join(home, '.kube', 'config'),
        join(home, '.bashrc'),
        join(home, '.bash_profile'),
      ]) {
        chownSync(p, uid, uid);
      }
    }
    this.dir = dir;
    return home;
  }

  /** Runs `command` (default: an interactive bash) in the toolbox; resolves to its exit code. */
  async exec(command: string[], io: ProcessIO): Promise<number> {
    const iso = ToolboxShell.isolation();
    const cmd = command.length > 0 ? command : ['bash', '-l'];
    const stderr = io.stderr ?? io.stdout;
    if (this.children.size >= this.limits.sessions) {
      stderr.write(
        `netlab: toolbox shell is forbidden: exceeded quota: toolbox-sessions, requested: sessions=1, used: sessions=${this.children.size}, limited: sessions=${this.limits.sessions}\r\n`,
      );
      return 1;
    }
    if (iso.sandbox === 'none' && process.env[UNSANDBOXED_FLAG] !== '1') {
      stderr.write(
        `netlab: the toolbox shell is refused: its sandbox is unavailable (${iso.problem}). For development only, ${UNSANDBOXED_FLAG}=1 runs it unsandboxed.\r\n`,
      );
      return 126;
    }
    const home = this.home();
    const uid = this.owner();
    if (iso.sandbox === 'none' && !warned) {
      warned = true;
      console.warn(
        `netlab sim: ${UNSANDBOXED_FLAG}=1: toolbox shells run UNSANDBOXED (${iso.problem}). Never use this with learners.`,
      );
    }
    if (iso.sandbox === 'none') {
      stderr.write(
        `netlab: warning: ${UNSANDBOXED_FLAG}=1: this shell is NOT sandboxed (${iso.problem}).\r\n`,
      );
    }
    let inner = cmd;
    if (iso.sandbox === 'bubblewrap') {
      const { host, port } = apiEndpoint(this.options.kubeconfig);
      const socket = join(this.dir!, 'api.sock');
      const launcher = join(this.dir!, 'launcher.mjs');
      this.bridge ??= (async () => {
        copyFileSync(new URL('./toolbox-launcher.mjs', import.meta.url), launcher);
        return ToolboxApiBridge.open(socket, host, port, uid);
      })();
      await this.bridge;
      // Hide the server's tree and data, but never the directory kubectl or node lives in.
      const keep = [kubectlRealPath(), process.execPath].filter((p): p is string => !!p);
      const hidden = [process.cwd(), '/work', '/srv', '/opt', '/var/lib/netlab'].filter(
        (d) => d !== '/' && !d.startsWith('/usr') && !keep.some((k) => k === d || k.startsWith(`${d}/`)),
      );
      inner = prlimitArgv(
        which('prlimit')!,
        this.limits,
        uid !== undefined,
        bwrapArgv({
          bwrap: bwrapPath()!,
          node: process.execPath,
          launcher,
          seed: home,
          socket,
          port,
          hidden,
          command: cmd,
          limits: this.limits,
        }),
      );
    }
    let argv = inner;
    let ptyEnv: Record<string, string> = {};
    if (io.tty && iso.pty === 'none') {
      stderr.write(
        'netlab: warning: util-linux `script` is not installed on the server; this shell has no terminal (no prompt editing).\r\n',
      );
    }
    if (io.tty && iso.pty === 'script') {
      const size = await firstSize(io, 150);
      ({ argv, env: ptyEnv } = ptyCommand(inner, size));
    }
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: iso.sandbox === 'bubblewrap' ? SANDBOX_HOME : home,
      KUBECONFIG:
        iso.sandbox === 'bubblewrap' ? `${SANDBOX_HOME}/.kube/config` : join(home, '.kube', 'config'),
      TERM: io.tty ? 'xterm-256color' : 'dumb',
      LANG: 'C.UTF-8',
      ...ptyEnv,
    };
    // Outermost, so the PTY helper and everything below it count against the cluster's cgroup.
    const cgroup = iso.sandbox === 'bubblewrap' && uid !== undefined ? this.cgroupFor(uid) : undefined;
    if (cgroup) argv = cgroup.enter(argv);
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: home,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      ...(uid !== undefined ? { uid, gid: uid } : {}),
    });
    this.children.add(child);
    const stopResize =
      io.tty && iso.pty === 'script' ? io.onResize((size) => resizePty(child.pid, size)) : () => {};
    const kill = () => {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    io.signal.addEventListener('abort', kill, { once: true });
    // Output waits for the client: a flood (`yes`) blocks the process on its pipe, as on a node.
    pipeWithBackpressure(child.stdout!, io.stdout);
    pipeWithBackpressure(child.stderr!, stderr);
    if (io.stdin) {
      pipeWithBackpressure(io.stdin, child.stdin!);
      io.stdin.on('end', () => child.stdin!.end());
    } else child.stdin!.end();
    child.stdin!.on('error', () => {});
    return new Promise<number>((resolve) => {
      child.on('error', (err) => {
        stderr.write(`netlab: cannot start the toolbox shell: ${err.message}\r\n`);
        resolve(126);
      });
      child.on('close', (code, signal) => {
        this.children.delete(child);
        stopResize();
        io.signal.removeEventListener('abort', kill);
        // The last shell gone: its home and kubeconfig go too (the next one gets fresh ones).
        const done = this.children.size === 0 ? this.removeHome() : Promise.resolve();
        void done.then(() => resolve(code ?? (signal ? 128 + 9 : 1)));
      });
    });
  }

  /** The cluster's cgroup (created on first use); undefined when the host has none to give. */
  private cgroupFor(uid: number): ToolboxCgroup | undefined {
    const support = cgroupSupport();
    if (support.version === 0) return undefined;
    return (this.cgroup ??= ToolboxCgroup.create(support, this.cgroupLimits, uid));
  }

  /** Closes the API bridge and removes the home directory (kubeconfig, seed, socket). */
  private async removeHome(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = undefined;
    if (bridge) (await bridge.catch(() => undefined))?.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /** Kills running shells and removes the private home. */
  async dispose(): Promise<void> {
    for (const child of this.children) {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    this.children.clear();
    await this.removeHome();
    const cgroup = this.cgroup;
    this.cgroup = undefined;
    // The killed processes leave the cgroup within moments; it can be removed once they have.
    for (let i = 0; cgroup && !cgroup.remove() && i < 40; i++) await new Promise((r) => setTimeout(r, 50));
    if (this.uid !== undefined) TOOLBOX_UIDS.release(this.uid);
    this.uid = undefined;
  }
}

/** Copies a process's output to a session stream, pausing the process's pipe while the stream is full. */
function pipeWithBackpressure(from: NodeJS.ReadableStream, to: NodeJS.WritableStream): void {
  from.on('data', (d: Buffer) => {
    if (!to.write(d)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}

/** Waits up to `ms` for kubectl's first resize message (it sends one right after connecting). */
function firstSize(io: ProcessIO, ms: number): Promise<TerminalSize | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(undefined);
    }, ms);
    const off = io.onResize((size) => {
      clearTimeout(timer);
      off();
      resolve(size);
    });
  });
}

/**
 * Resizes the PTY that `script` made: the shell's terminal is its child's stdin (/dev/pts/N on the
 * host); `stty -F` sets the size and the kernel sends SIGWINCH to the foreground job.
 */
function resizePty(scriptPid: number | undefined, size: TerminalSize): void {
  if (!scriptPid) return;
  try {
    const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8')
      .trim()
      .split(/\s+/);
    const tty = readlinkSync(`/proc/${children[0]}/fd/0`);
    if (!tty.startsWith('/dev/pts/')) return;
    const valid = toTerminalSize(size.cols, size.rows);
    if (!valid) return;
    const c = spawn('stty', ['-F', tty, 'cols', String(valid.cols), 'rows', String(valid.rows)], {
      stdio: 'ignore',
    });
    c.on('error', () => {});
  } catch {
    // The shell has just exited, or /proc is not readable: keep the old size.
  }
}

/** Where the kubectl binary really is (following the dispatcher's symlinks), if installed. */
function kubectlRealPath(): string | undefined {
  const path = which('kubectl');
  if (!path) return undefined;
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
