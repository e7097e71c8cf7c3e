import { Writable } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import type { ShellClock } from '../shell/shell-clock';
import type { ShellHost } from '../shell/shell-host';
import type { Clock, TimerHandle } from './clock';
import { as, type SimContext } from './context';
import type { Kubelet } from './kubelet';
import type { LogBuffer } from './log-buffer';
import type { ContainerRun, PodRun } from './pod-run';
import { runEmulatedShell } from './shell-bridge';
import type { WorkQueue } from './work-queue';

/**
 * Counts a running process as queued work while it computes, and not while it sleeps on the
 * cluster clock: `runtime.settle()` then waits for a script to reach its next `sleep` (or its end)
 * without waiting for time a ManualClock will never move by itself.
 */
class ProcessActivity {
  private release?: () => void;

  constructor(private readonly queue: WorkQueue) {}

  busy(): void {
    if (this.release) return;
    this.queue.track(new Promise<void>((r) => (this.release = r)));
  }

  idle(): void {
    this.release?.();
    this.release = undefined;
  }
}

/** The cluster's clock as the shell's tools see it (so `sleep 5` in a script is a cluster timer). */
function shellClockOf(clock: Clock, activity: ProcessActivity): ShellClock {
  return {
    now: () => clock.now(),
    date: () => new Date(clock.now()),
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve(false);
        activity.idle();
        let timer: TimerHandle | undefined;
        const onAbort = () => {
          timer?.cancel();
          activity.busy();
          resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (Number.isFinite(ms)) {
          timer = clock.setTimer(ms, () => {
            signal?.removeEventListener('abort', onAbort);
            activity.busy();
            resolve(true);
          });
        }
      });
    },
  };
}

/** stdout/stderr of a main process into the container log, a line at a time. */
class LogWriter extends Writable {
  private partial = '';

  constructor(
    private readonly logs: LogBuffer,
    private readonly clock: Clock,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.logs.append(this.clock.now(), line.replace(/\r$/, ''));
    cb();
  }

  /** Writes an unterminated last line, as the runtime's log driver does when the stream closes. */
  flush(): void {
    if (this.partial) this.logs.append(this.clock.now(), this.partial);
    this.partial = '';
  }
}

/**
 * Runs a container's main process through the emulated shell, the same interpreter and tools as
 * `kubectl exec`: its output is the container log, its exit code ends the container (Completed,
 * Error, CrashLoopBackOff through the kubelet's restart logic), and stopping the container kills it.
 */
export function runMainProcess(
  ctx: SimContext,
  kubelet: Kubelet,
  hostFor: (pod: V1Pod, run: PodRun, c: ContainerRun) => ShellHost,
  run: PodRun,
  c: ContainerRun,
): void {
  const app = c.app;
  const argv = app?.instance.main;
  const stored = ctx.store.get('pods', run.namespace, run.name);
  if (!app || !argv || !stored) return;
  const killed = new AbortController();
  c.sessions.add(killed);
  const activity = new ProcessActivity(ctx.queue);
  activity.busy();
  const out = new LogWriter(c.logs, ctx.clock);
  const host = hostFor(as<V1Pod>(stored), run, c);
  void runEmulatedShell(
    host,
    argv,
    { stdout: out, stderr: out, tty: false, onResize: () => () => {}, signal: killed.signal },
    { clock: shellClockOf(ctx.clock, activity) },
  )
    .catch((err: unknown) => {
      out.write(`${(err as Error).message}\n`);
      return 1;
    })
    .then((code) => {
      out.flush();
      c.sessions.delete(killed);
      activity.idle();
      if (killed.signal.aborted || c.app !== app || c.state !== 'running') return;
      kubelet.containerExited(run, c, code);
    });
}
