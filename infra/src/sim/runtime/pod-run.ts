import type { StartedApp } from '../apps/app-registry';
import type { TimerHandle } from './clock';
import { LogBuffer } from './log-buffer';

/** A terminated container instance, as `lastState.terminated` shows it. */
export interface TerminatedState {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

/** The probe bookkeeping of one container. */
export interface ProbeState {
  successes: number;
  failures: number;
  timer?: TimerHandle;
}

/** The kubelet's view of one container: state machine, app instance, logs, probes. */
export class ContainerRun {
  state: 'waiting' | 'running' | 'terminated' = 'waiting';
  waiting = { reason: 'ContainerCreating', message: '' };
  startedAt = 0;
  terminated?: TerminatedState;
  lastTerminated?: TerminatedState;
  restartCount = 0;
  ready = false;
  /** Startup probe passed (or none). */
  started = false;
  app?: StartedApp;
  containerID = '';
  logs = new LogBuffer();
  previousLogs?: LogBuffer;
  readiness: ProbeState = { successes: 0, failures: 0 };
  liveness: ProbeState = { successes: 0, failures: 0 };
  startup: ProbeState = { successes: 0, failures: 0 };
  /** The environment the current instance was created with (Service variables fixed at that moment). */
  env?: Record<string, string>;
  /** The current image pull back-off (0 until a pull fails). */
  pullBackoffMs = 0;
  /** Exit, restart or stop timer of the current instance. */
  timer?: TimerHandle;
  /** Appends a looping script's output every iteration. */
  logTimer?: TimerHandle;
  /** Exec and attach sessions into this container; they end when the container stops. */
  readonly sessions = new Set<AbortController>();
  /** Set while an attach session drives the interactive main process. */
  attached = false;

  constructor(
    readonly name: string,
    readonly init: boolean,
    /** An ephemeral (debug) container: never restarted, no probes. */
    readonly ephemeral = false,
  ) {}

  /** The main process ended: record how, close the log and end every session into the container. */
  terminate(exitCode: number, reason: string, now: number): void {
    this.state = 'terminated';
    this.ready = false;
    this.terminated = {
      exitCode,
      reason,
      startedAt: this.startedAt,
      finishedAt: now,
      containerID: this.containerID,
    };
    this.logs.close();
    this.endSessions();
  }

  /**
   * The terminated instance becomes the last one, as the kubelet keeps it: `lastState.terminated`,
   * and the log `kubectl logs` (and `--previous`) reads while the next instance waits or runs.
   */
  retire(): void {
    if (!this.terminated || this.lastTerminated === this.terminated) return;
    this.lastTerminated = this.terminated;
    this.previousLogs = this.logs;
    this.logs = new LogBuffer();
  }

  /** Ends every exec/attach session (the container's processes are gone). */
  endSessions(): void {
    for (const s of this.sessions) s.abort();
    this.sessions.clear();
  }

  cancelTimers(): void {
    this.timer?.cancel();
    this.logTimer?.cancel();
    this.logTimer = undefined;
    this.readiness.timer?.cancel();
    this.liveness.timer?.cancel();
    this.startup.timer?.cancel();
    this.timer = undefined;
    this.readiness.timer = this.liveness.timer = this.startup.timer = undefined;
  }
}

/** The kubelet's view of one pod on its node. */
export class PodRun {
  /** Sandbox network: not yet tried, failed (no CNI), or up. */
  sandbox: 'pending' | 'failed' | 'ready' = 'pending';
  ip?: string;
  startTime?: number;
  readonly containers = new Map<string, ContainerRun>();
  /** Index of the init container running now; `initDone` once all exited 0. */
  initDone = false;
  stopping = false;
  readonly sandboxId: string;
  /** The kubelet retries a failed sandbox (and repeats FailedCreatePodSandBox) on this timer. */
  sandboxRetry?: TimerHandle;

  constructor(
    readonly uid: string,
    readonly namespace: string,
    readonly name: string,
    readonly node: string,
    sandboxId: string,
  ) {
    this.sandboxId = sandboxId;
  }

  cancelTimers(): void {
    this.sandboxRetry?.cancel();
    this.sandboxRetry = undefined;
    for (const c of this.containers.values()) c.cancelTimers();
  }
}
