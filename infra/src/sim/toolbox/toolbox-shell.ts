import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
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
import { bwrapArgv, SANDBOX_HOME, UNPRIVILEGED, which } from './toolbox-sandbox';
import { ptyCommand } from './toolbox-pty';
import { toTerminalSize } from '../runtime/terminal-size';

/** How the toolbox shell is isolated on this host. */
export interface ToolboxIsolation {
  sandbox: 'bubblewrap' | 'none';
  /** Runs as nobody when the server is root. */
  unprivileged: boolean;
  pty: 'script' | 'none';
}

let warned = false;

/**
 * The lab toolbox pod's real shell: a process on the host with kubectl configured for this cluster
 * (the kubeconfig in a private temporary home), sandboxed with bubblewrap where installed, as an
 * unprivileged user when the server runs as root, with a PTY from util-linux `script` for TTY sessions.
 */
export class ToolboxShell {
  private dir?: string;
  private readonly children = new Set<ReturnType<typeof spawn>>();

  constructor(private readonly options: ResolvedOptions) {}

  /** What isolation this host gives. */
  static isolation(): ToolboxIsolation {
    return {
      sandbox: which('bwrap') ? 'bubblewrap' : 'none',
      unprivileged: process.getuid?.() === 0,
      pty: which('script') ? 'script' : 'none',
    };
  }

  private home(): string {
    if (this.dir) return join(this.dir, 'home');
    const dir = mkdtempSync(join(tmpdir(), 'netlab-toolbox-'));
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
    if (process.getuid?.() === 0) {
      for (const p of [
        home,
        join(home, '.kube'),
        join(home, '.kube', 'config'),
        join(home, '.bashrc'),
        join(home, '.bash_profile'),
      ]) {
        chownSync(p, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
      }
    }
    this.dir = dir;
    return home;
  }

  /** Runs `command` (default: an interactive bash) in the toolbox; resolves to its exit code. */
  async exec(command: string[], io: ProcessIO): Promise<number> {
    const iso = ToolboxShell.isolation();
    const home = this.home();
    const cmd = command.length > 0 ? command : ['bash', '-l'];
    const stderr = io.stderr ?? io.stdout;
    if (iso.sandbox === 'none' && !warned) {
      warned = true;
      console.warn(
        'netlab sim: bubblewrap (bwrap) is not installed: toolbox shells run UNSANDBOXED. Install the Debian package "bubblewrap".',
      );
    }
    if (iso.sandbox === 'none') {
      stderr.write(
        'netlab: warning: bubblewrap is not installed on the server; this shell is not sandboxed.\r\n',
      );
    }
    // Hide the server's tree and data, but never the directory kubectl itself lives in.
    const kubectl = kubectlRealPath();
    const hidden = [process.cwd(), '/work', '/srv', '/opt', '/var/lib/netlab'].filter(
      (d) =>
        d !== '/' && !d.startsWith('/usr') && !(kubectl && (kubectl === d || kubectl.startsWith(`${d}/`))),
    );
    const inner = iso.sandbox === 'bubblewrap' ? bwrapArgv(which('bwrap')!, home, cmd, hidden) : cmd;
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
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: home,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      ...(iso.unprivileged ? { uid: UNPRIVILEGED.uid, gid: UNPRIVILEGED.gid } : {}),
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
        resolve(code ?? (signal ? 128 + 9 : 1));
      });
    });
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
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
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
