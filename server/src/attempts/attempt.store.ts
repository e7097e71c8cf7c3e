import type { AttemptState } from './attempt-state';
import type {
  AttemptLogEntry,
  AttemptPatch,
  AttemptRecord,
  CheckRunRecord,
  CommandRecord,
  HintUseRecord,
} from './attempt.types';

/** What starting an attempt writes. */
export interface NewAttempt {
  userId: string;
  labVersionId: string;
  labSlug: string;
  seed: string;
  examSittingId?: string | null;
}

/** The attempts' persistence (PrismaAttemptRepository; strict fakes in service specs). */
export interface AttemptStore {
  /**
   * Creates a queued attempt holding the learner's active key, with its `created` log entry and a
   * provisioning job, in one transaction; returns the live attempt that already holds the key instead.
   */
  createQueued(input: NewAttempt): Promise<{ attempt: AttemptRecord; created: boolean }>;
  get(id: string): Promise<AttemptRecord | null>;
  findByClusterName(name: string): Promise<AttemptRecord | null>;
  listByUser(userId: string): Promise<(AttemptRecord & { checkRuns: number })[]>;
  /** Every attempt that is queued, provisioning or ready. */
  listLive(): Promise<AttemptRecord[]>;
  countLiveOfUser(userId: string): Promise<number>;
  /** Attempts holding or making a cluster (provisioning + ready): what the global capacity bounds. */
  countHoldingClusters(): Promise<number>;
  /** Queued attempt ids, first in line first. */
  queuedIds(): Promise<string[]>;
  /** How many attempts are in each state now (for the attempts-by-state gauge). */
  countByState(): Promise<Partial<Record<AttemptState, number>>>;
  /**
   * Moves the attempt from `from` to `to` with `patch` and the log entry, only if it is still in
   * `from` (null otherwise: someone else moved it first). Written before any side effect runs.
   */
  transition(
    id: string,
    from: AttemptState,
    to: AttemptState,
    patch: AttemptPatch,
    entry: AttemptLogEntry,
  ): Promise<AttemptRecord | null>;
  /** Updates fields without a state change (a provisioning step, the cluster name), optionally logged. */
  update(id: string, patch: AttemptPatch, entry?: AttemptLogEntry): Promise<AttemptRecord>;
  log(id: string, entry: AttemptLogEntry): Promise<void>;
  touch(id: string, at: Date): Promise<void>;
  addCheckRun(run: Omit<CheckRunRecord, 'id'>): Promise<CheckRunRecord>;
  listCheckRuns(attemptId: string): Promise<CheckRunRecord[]>;
  latestCheckRun(attemptId: string): Promise<CheckRunRecord | null>;
  /** Records the hint and counts it on the attempt at once; false when it was already revealed. */
  addHintUse(attemptId: string, index: number, cost: number): Promise<boolean>;
  listHintUses(attemptId: string): Promise<HintUseRecord[]>;
  addCommand(attemptId: string, command: CommandRecord): Promise<void>;
  listCommands(attemptId: string): Promise<CommandRecord[]>;
}
/** Nest injection token of the {@link AttemptStore}. */
export const ATTEMPT_STORE = Symbol('AttemptStore');

/** A durable job leased by one server replica at a time. */
export interface JobRecord {
  id: string;
  kind: 'provision';
  attemptId: string;
  /** The attempt generation the job provisions; a reset makes older jobs stale. */
  generation: number;
  tries: number;
}

/** The job queue's persistence: row leases (`FOR UPDATE SKIP LOCKED`) so replicas can share it. */
export interface JobStore {
  enqueue(kind: JobRecord['kind'], attemptId: string, generation: number): Promise<void>;
  /** Leases up to `limit` due jobs to `owner` for `leaseMs`. */
  claim(owner: string, limit: number, leaseMs: number): Promise<JobRecord[]>;
  renew(jobIds: string[], owner: string, leaseMs: number): Promise<void>;
  complete(jobId: string, error?: string): Promise<void>;
  /** Jobs not done for the attempt (leased or not). */
  pendingFor(attemptId: string): Promise<(JobRecord & { leased: boolean })[]>;
  /** Drops every lease (embedded database: one process, so no lease can belong to a live replica). */
  releaseAllLeases(): Promise<void>;
}
/** Nest injection token of the {@link JobStore}. */
export const JOB_STORE = Symbol('JobStore');
