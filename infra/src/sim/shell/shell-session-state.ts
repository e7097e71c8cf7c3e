import type { ShellClock } from './shell-clock';
import { ShellFileSystem } from './shell-filesystem';
import { CappedVariables } from './shell-limits';
import type { ShellHost } from './shell-host';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Thrown by `exit`: ends the shell with `code`. */
export class ShellExit {
  constructor(readonly code: number) {}
}

/** Thrown by `break` and `continue`: leaves or restarts the innermost `levels` loops. */
export class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

/** Which shell interprets: busybox ash, dash (Debian's /bin/sh) or bash; they word errors differently. */
export type ShellFlavour = 'ash' | 'dash' | 'bash';

/** The mutable state of one shell: variables, `$?`, the working directory, the session's files. */
export class ShellSessionState {
  readonly vars: Map<string, string> = new CappedVariables();
  readonly exported = new Set<string>();
  readonly fs: ShellFileSystem;
  status = 0;
  cwd = '/';
  /** The pid `$$` and `ps` show for this shell. */
  readonly pid: number;
  /** The next pid `ps` gives a command it runs. */
  nextPid: number;
  /** `$0` as the shell was started (`sh`, `/bin/sh`, `bash`) and which shell that is. */
  shell: { argv0: string; flavour: ShellFlavour } = { argv0: 'sh', flavour: 'ash' };
  /** Lines the shell read before the source it runs now (an interactive shell counts every line). */
  lineBase = 0;
  /** The line of the command running now, as dash numbers it. */
  currentLine = 1;
  /** Whether the shell reads commands from a terminal (bash words errors without a line then). */
  interactive = false;

  constructor(
    readonly host: ShellHost,
    readonly clock: ShellClock,
    readonly tty: boolean,
  ) {
    this.fs = new ShellFileSystem(host.files, [host.env.HOME ?? '/root'], host.onFileWrite?.bind(host));
    // The order the container runtime builds an exec's environment in: PATH, HOSTNAME, TERM (with a
    // TTY), the container's variables, then HOME when the image does not set it.
    const base: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: host.hostname };
    if (tty) base.TERM = 'xterm';
    Object.assign(base, host.env);
    base.HOME ??= host.user && host.user.uid !== 0 ? '/' : '/root';
    for (const [k, v] of Object.entries(base)) this.export(k, v);
    const maxPid = Math.max(1, ...host.processes.map((p) => p.pid));
    this.pid = maxPid + 6;
    this.nextPid = this.pid + 1;
  }

  /** What ash adds to the environment when it starts: SHLVL and PWD. */
  enterShell(): void {
    this.export('SHLVL', String(Number(this.vars.get('SHLVL') ?? '0') + 1));
    this.export('PWD', this.cwd);
  }

  /**
   * What the shell prints when `name` is not a command: busybox ash `sh: x: not found`, dash
   * `sh: 1: x: not found` (with the line it counts), bash `bash: x: command not found`
   * (`bash: line 1: x: …` when not interactive).
   */
  notFound(name: string): string {
    return this.shell.flavour === 'bash'
      ? `${this.errorPrefix()}${name}: command not found\n`
      : `${this.errorPrefix()}${name}: not found\n`;
  }

  /** How the shell starts an error line: `sh: ` (ash), `sh: 1: ` (dash), `bash: line 1: ` (bash -c). */
  errorPrefix(): string {
    const { argv0, flavour } = this.shell;
    if (flavour === 'dash') return `${argv0}: ${this.currentLine}: `;
    if (flavour === 'bash' && !this.interactive) return `${argv0}: line ${this.currentLine}: `;
    return `${argv0}: `;
  }

  /** Sets and exports a variable. */
  export(name: string, value?: string): void {
    if (value !== undefined) this.vars.set(name, value);
    this.exported.add(name);
  }

  /** The environment programs see, plus per-command assignments. */
  environment(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.exported) {
      const v = this.vars.get(name);
      if (v !== undefined) env[name] = v;
    }
    return { ...env, ...extra };
  }

  /** `$name`, including the special parameters. */
  variable(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.pid);
      case '0':
        return this.shell.argv0;
      case '#':
        return '0';
      case '-':
        return this.tty ? 'i' : '';
      default:
        return this.vars.get(name);
    }
  }
}
