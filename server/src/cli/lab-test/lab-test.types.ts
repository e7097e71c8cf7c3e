import type { ClusterProvider } from '@netlab/infra';
import type { ClusterReport, ImageMap } from '@netlab/grader';

/** How `netlab lab test` runs. */
export interface LabTestOptions {
  provider: ClusterProvider;
  /** Seed for the lab's parameters; default a fresh random one per lab, printed so a run can be repeated. */
  seed?: string;
  imageMap?: ImageMap;
  /** How long to wait for a rollout after each phase. */
  settleTimeoutMs: number;
  /** How long nodes may stay NotReady, with nothing else pending, before settling gives up (default 5 s). */
  notReadyGraceMs?: number;
  /** Pause between retries of a failing check. */
  retryDelayMs: number;
  /** How long a probe pod may take to start. */
  probeStartTimeoutMs: number;
  /** How long a probe waits for a handshake before calling it dropped (default 1 s). */
  connectTimeoutMs?: number;
  /** How long each phase may take to show what the lab declares, unless the lab says otherwise. */
  convergeTimeoutMs: number;
  /** `--converge-timeout`: replaces the default and every lab's own value. */
  convergeTimeoutOverrideMs?: number;
  /** How long the declared state must hold, grade after grade, before a phase counts as converged. */
  stableForMs: number;
  /** Pause between grades (and between looks while settling). */
  pollMs: number;
  /** Run the main phase and each bypass on their own clusters at once (cheap on the sim). */
  parallelPhases?: boolean;
  /** What the cluster can do (external, kind): a lab whose needs it lacks is skipped, saying why. */
  clusterReport?: ClusterReport;
  /** Where progress lines go. */
  out: (line: string) => void;
}

/** The outcome of testing one lab. */
export interface LabTestResult {
  labId: string;
  seed: string;
  status: 'pass' | 'fail' | 'skip';
  /** For a skip, why; for a failure, every deviation from what the lab declares. */
  deviations: string[];
  skipReason?: string;
  /** Bypasses tried, and checks run in all. */
  bypasses: number;
  durationMs: number;
}
