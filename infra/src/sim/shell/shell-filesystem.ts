import { appendCapped, capString, SHELL_LIMITS } from './shell-limits';
/** The directories every busybox-based container shows, whatever files the host provides. */
const BASE_DIRS = [
  '/',
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/proc',
  '/root',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/sbin',
  '/var',
  '/var/run',
];

/** Device files that accept writes and read empty. */
const DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/stdout', '/dev/stderr', '/dev/tty']);

/**
 * The container's tiny filesystem: the host's files (read-only snapshot taken at exec time),
 * plus what the session writes (`curl -o`, `wget`, `echo > f`), kept in memory for the session.
 */
export class ShellFileSystem {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(BASE_DIRS);

  private onWrite?: (path: string, text: string) => void;

  constructor(
    initial: Record<string, string>,
    extraDirs: string[] = [],
    /** Sees every write after construction (the container's shared files). */
    onWrite?: (path: string, text: string) => void,
  ) {
    for (const [path, text] of Object.entries(initial)) this.write(normalize(path), text);
    for (const dir of extraDirs) this.addDir(normalize(dir));
    this.onWrite = onWrite;
  }

  /** The file's text, or undefined when there is no such regular file. */
  read(path: string): string | undefined {
    if (DEVICES.has(path)) return '';
    return this.files.get(normalize(path));
  }

  /** Creates or replaces (or appends to) a file, creating its parent directories. */
  write(path: string, text: string, append = false): void {
    const p = normalize(path);
    if (DEVICES.has(p)) return;
    if (!this.files.has(p) && this.files.size >= SHELL_LIMITS.files) return;
    this.addDir(parent(p));
    this.files.set(p, append ? appendCapped(this.files.get(p) ?? '', text) : capString(text));
    this.onWrite?.(p, this.files.get(p)!);
  }

  /** Removes a file; false when there was none. */
  remove(path: string): boolean {
    return this.files.delete(normalize(path));
  }

  isDir(path: string): boolean {
    return this.dirs.has(normalize(path));
  }

  exists(path: string): boolean {
    const p = normalize(path);
    return this.dirs.has(p) || this.files.has(p) || DEVICES.has(p);
  }

  /** Entries of a directory, sorted, each marked as a directory or not. */
  list(dir: string): { name: string; dir: boolean; size: number }[] {
    const d = normalize(dir);
    const prefix = d === '/' ? '/' : `${d}/`;
    const out = new Map<string, { name: string; dir: boolean; size: number }>();
    for (const sub of this.dirs) {
      if (sub !== d && sub.startsWith(prefix) && !sub.slice(prefix.length).includes('/')) {
        out.set(sub, { name: sub.slice(prefix.length), dir: true, size: 4096 });
      }
    }
    for (const [file, text] of this.files) {
      if (file.startsWith(prefix) && !file.slice(prefix.length).includes('/')) {
        out.set(file, { name: file.slice(prefix.length), dir: false, size: Buffer.byteLength(text) });
      }
    }
    if (d === '/dev') for (const dev of DEVICES) out.set(dev, { name: dev.slice(5), dir: false, size: 0 });
    return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Creates a directory and its parents (`mkdir -p`). */
  makeDir(path: string): void {
    this.addDir(normalize(path));
  }

  private addDir(dir: string): void {
    for (let d = dir; d !== '/'; d = parent(d)) this.dirs.add(d);
  }
}

/** Resolves `path` against `cwd`, folding `.` and `..`. */
export function resolvePath(cwd: string, path: string): string {
  return normalize(path.startsWith('/') ? path : `${cwd}/${path}`);
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function parent(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
