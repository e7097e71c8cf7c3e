import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostReply, HostRequest } from './sim-host-protocol';

/** Why a host request failed, with the worker's reason (`exists`, `invalid`, …) when it gave one. */
export class SimHostError extends Error {
  constructor(
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'SimHostError';
  }
}

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

/** One supervised worker process and the clusters it holds. */
export class SimHost {
  readonly clusters = new Set<string>();
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(
    readonly index: number,
    private readonly heapMb: number,
    private readonly onExit: (host: SimHost, why: string) => void,
  ) {}

  /**
   * Starts (or restarts) the worker; resolves when it is ready, rejects when it fails to start or
   * exits first. The worker runs in its own process group, so a Ctrl-C or a signal to the server's
   * group reaches only the server, which stops its hosts itself; a worker whose parent is gone
   * exits (its IPC channel closes).
   */
  start(): Promise<void> {
    const child = fork(fileURLToPath(new URL('./sim-host.worker.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${this.heapMb}`],
      env: { ...process.env, NETLAB_TOOLBOX_UID_BASE: String(2_000_000 + (this.index + 1) * 10_000) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    this.child = child;
    let started = false;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      failed = reject;
      child.once('error', reject);
      child.on('message', (m: HostReply) => {
        if (m.id === 0) {
          started = true;
          return resolve();
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(new SimHostError(m.error ?? 'sim host error', m.reason));
      });
    });
    child.once('exit', (code, signal) => {
      const why = signal ? `was killed (${signal})` : `exited with code ${code}`;
      const current = this.child === child;
      if (current) this.child = undefined;
      // A worker that never became ready held nothing: its start rejects, nothing is lost.
      if (!started) return failed(new SimHostError(`sim host ${this.index} ${why} before it was ready`));
      if (!current) return; // stopped on purpose
      for (const p of this.pending.values()) p.reject(new SimHostError(`sim host ${this.index} ${why}`));
      this.pending.clear();
      this.onExit(this, why);
    });
    return this.ready;
  }

  /** The running (or starting) worker's readiness, or a new start when none runs. */
  ensureStarted(): Promise<void> {
    return this.child && this.ready ? this.ready : this.start();
  }

  /** The worker's process id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends one request and waits for its answer. */
  async request(body: Body<HostRequest>): Promise<unknown> {
    await this.ready;
    const child = this.child;
    if (!child?.connected) throw new SimHostError(`sim host ${this.index} is not running`);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ ...body, id } as HostRequest);
    });
  }

  /** Stops the worker for good (its clusters with it). */
  stop(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
  }
}
