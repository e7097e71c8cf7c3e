import type { CheckResult } from '@netlab/grader';
import type { AttemptState, ProvisioningStep } from './attempt-state';

/** An attempt row as the attempts layer sees it (lower-case state). */
export interface AttemptRecord {
  id: string;
  userId: string;
  labVersionId: string;
  labSlug: string;
  seed: string;
  state: AttemptState;
  step: ProvisioningStep | null;
  generation: number;
  clusterProvider: string | null;
  clusterName: string | null;
  kubeconfig: string | null;
  toolboxNamespace: string | null;
  toolboxPod: string | null;
  message: string | null;
  failureCause: string | null;
  score: number | null;
  hintsUsed: number;
  extended: boolean;
  createdAt: Date;
  readyAt: Date | null;
  endedAt: Date | null;
  expiresAt: Date | null;
  lastActivityAt: Date;
  examSittingId: string | null;
}

/** Fields a transition or a step may change. */
export type AttemptPatch = Partial<
  Pick<
    AttemptRecord,
    | 'step'
    | 'generation'
    | 'clusterProvider'
    | 'clusterName'
    | 'kubeconfig'
    | 'toolboxNamespace'
    | 'toolboxPod'
    | 'message'
    | 'failureCause'
    | 'score'
    | 'extended'
    | 'readyAt'
    | 'endedAt'
    | 'expiresAt'
    | 'lastActivityAt'
  >
> & { activeKey?: string | null };

/** One entry of the attempt's event log. */
export interface AttemptLogEntry {
  type: 'created' | 'transition' | 'step' | 'check' | 'hint' | 'recovered' | 'warning' | 'adopted';
  cause: string;
  fromState?: AttemptState;
  toState?: AttemptState;
  data?: Record<string, unknown>;
}

/** How a grade was started. */
export type CheckTrigger = 'manual' | 'live' | 'final';

/** One persisted grade. `results` keep the grader's evidence, diagnosis and path. */
export interface CheckRunRecord {
  id: string;
  attemptId: string;
  trigger: CheckTrigger;
  passed: boolean;
  score: number | null;
  results: CheckResult[];
  startedAt: Date;
  durationMs: number;
}

/** A hint revealed, with the cost it had then. */
export interface HintUseRecord {
  index: number;
  cost: number;
  revealedAt: Date;
}

/** A command line from the toolbox shell's log. */
export interface CommandRecord {
  terminalId: string;
  command: string;
  exitCode: number | null;
  at: Date;
}

/** The key that allows one live attempt per learner per lab. */
export function activeKeyOf(userId: string, labSlug: string): string {
  return `${userId}:${labSlug}`;
}
