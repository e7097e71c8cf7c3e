import type {
  ContainerRuntime,
  ContainerTarget,
  LogOptions,
  ProcessIO,
} from '../../src/sim/runtime/container-runtime';
import type { ObjectStore, StoredObject } from '../../src/sim/store/object-store';

/**
 * A small ContainerRuntime for API-side streaming tests: `echo`, `exit N`, `env`, `cat` (stdin to
 * stdout) and an interactive `sh` with a `/ # ` prompt that echoes keystrokes in TTY mode. Logs are
 * `line 1` … `line N`; with follow, one more line arrives on `emit()`.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly resizes: { cols: number; rows: number }[] = [];
  private followers = new Set<(line: string) => void>();

  constructor(private readonly lines = 5) {}

  /** Sends a line to every following log stream. */
  emit(line: string): void {
    for (const f of this.followers) f(line);
  }

  async exec(target: ContainerTarget, command: string[], io: ProcessIO): Promise<number> {
    io.onResize((s) => this.resizes.push(s));
    const [cmd, ...args] = command;
    switch (cmd) {
      case 'echo':
        io.stdout.write(`${args.join(' ')}\n`);
        return 0;
      case 'exit':
        return Number(args[0] ?? 0);
      case 'hostname':
        io.stdout.write(`${target.pod}\n`);
        return 0;
      case 'fail':
        io.stderr?.write('something went wrong\n');
        return 3;
      case 'cat':
        return new Promise((resolve) => {
          if (!io.stdin) return resolve(0);
          io.stdin.on('data', (d: Buffer) => io.stdout.write(d));
          io.stdin.on('end', () => resolve(0));
        });
      case 'sh':
        return this.shell(io);
      default:
        (io.stderr ?? io.stdout).write(`sh: ${cmd}: not found\n`);
        return 127;
    }
  }

  async attach(target: ContainerTarget, io: ProcessIO): Promise<number | undefined> {
    io.stdout.write(`attached to ${target.container}\n`);
    return io.stdin ? this.shell(io) : 0;
  }

  async *logs(target: ContainerTarget, options: LogOptions): AsyncIterable<string> {
    const all = Array.from(
      { length: this.lines },
      (_, i) => `${options.previous ? 'previous ' : ''}${target.container} line ${i + 1}`,
    );
    const shown =
      options.tailLines !== undefined ? all.slice(Math.max(0, all.length - options.tailLines)) : all;
    for (const l of shown) yield l;
    if (!options.follow) return;
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    const follower = (line: string): void => {
      queue.push(line);
      wake?.();
    };
    this.followers.add(follower);
    try {
      while (!options.signal?.aborted) {
        if (queue.length) yield queue.shift()!;
        else
          await new Promise<void>((r) => {
            wake = r;
            options.signal?.addEventListener('abort', () => r(), { once: true });
          });
      }
    } finally {
      this.followers.delete(follower);
    }
  }

  private shell(io: ProcessIO): Promise<number> {
    return new Promise((resolve) => {
      let line = '';
      const prompt = (): void => void io.stdout.write('/ # ');
      prompt();
      io.stdin?.on('data', (d: Buffer) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            if (io.tty) io.stdout.write('\r\n');
            const [cmd, ...args] = line.trim().split(/\s+/);
            line = '';
            if (cmd === 'exit') return resolve(Number(args[0] ?? 0));
            if (cmd === 'echo') io.stdout.write(`${args.join(' ')}${io.tty ? '\r\n' : '\n'}`);
            prompt();
          } else if (ch === '\x04') {
            return resolve(0);
          } else {
            line += ch;
            if (io.tty) io.stdout.write(ch);
          }
        }
      });
      io.stdin?.on('end', () => resolve(0));
      io.signal.addEventListener('abort', () => resolve(130));
    });
  }
}

/** Marks a pod Running with ready containers on a node, as a kubelet would (API-only tests). */
export function markRunning(store: ObjectStore, namespace: string, name: string): StoredObject {
  const pod = structuredClone(store.mustGet('pods', namespace, name)) as unknown as {
    spec: { nodeName?: string; containers: { name: string; image: string }[] };
    status: Record<string, unknown>;
  };
  pod.spec.nodeName ??= 'conf-worker';
  pod.status = {
    ...pod.status,
    phase: 'Running',
    podIP: '10.244.1.7',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: new Date().toISOString() } },
    })),
  };
  return store.update('pods', pod as never);
}
