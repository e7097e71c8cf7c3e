import { randomUUID } from 'node:crypto';
import type { AttemptState } from '../attempt-state';
import type { AttemptStore, JobRecord, JobStore, NewAttempt } from '../attempt.store';
import {
  activeKeyOf,
  type AttemptLogEntry,
  type AttemptPatch,
  type AttemptRecord,
  type CheckRunRecord,
  type CommandRecord,
  type HintUseRecord,
} from '../attempt.types';

const LIVE: AttemptState[] = ['queued', 'provisioning', 'ready'];

/** AttemptStore and JobStore in memory with the same rules as the repositories (unique active key, conditional transitions). */
export class InMemoryAttemptStore implements AttemptStore, JobStore {
  readonly attempts = new Map<string, AttemptRecord & { activeKey: string | null }>();
  readonly events: (AttemptLogEntry & { attemptId: string })[] = [];
  readonly runs: CheckRunRecord[] = [];
  readonly hints = new Map<string, HintUseRecord[]>();
  readonly commands = new Map<string, CommandRecord[]>();
  readonly jobs: (JobRecord & { owner: string | null; done: boolean })[] = [];
  /** Every write, in order, so specs can assert "written before the side effect". */
  readonly writes: string[] = [];

  seed(partial: Partial<AttemptRecord> & { userId: string }): AttemptRecord {
    const a = { ...attemptFactory(partial), activeKey: null as string | null };
    if (LIVE.includes(a.state)) a.activeKey = activeKeyOf(a.userId, a.labSlug);
    this.attempts.set(a.id, a);
    return strip(a);
  }

  async createQueued(input: NewAttempt) {
    const key = activeKeyOf(input.userId, input.labSlug);
    const live = [...this.attempts.values()].find((a) => a.activeKey === key);
    if (live) return { attempt: strip(live), created: false };
    const a = { ...attemptFactory({ ...input, examSittingId: input.examSittingId ?? null }), activeKey: key };
    this.attempts.set(a.id, a);
    this.events.push({ attemptId: a.id, type: 'created', cause: 'the learner started the lab' });
    await this.enqueue('provision', a.id, 0);
    return { attempt: strip(a), created: true };
  }

  async get(id: string) {
    const a = this.attempts.get(id);
    return a ? strip(a) : null;
  }

  async findByClusterName(name: string) {
    const a = [...this.attempts.values()].find((x) => x.clusterName === name && LIVE.includes(x.state));
    return a ? strip(a) : null;
  }

  async listByUser(userId: string) {
    return [...this.attempts.values()]
      .filter((a) => a.userId === userId)
      .reverse()
      .map((a) => ({ ...strip(a), checkRuns: this.runs.filter((r) => r.attemptId === a.id).length }));
  }

  async listLive() {
    return [...this.attempts.values()].filter((a) => LIVE.includes(a.state)).map(strip);
  }

  async countLiveOfUser(userId: string) {
    return [...this.attempts.values()].filter((a) => a.userId === userId && LIVE.includes(a.state)).length;
  }

  async countHoldingClusters() {
    return [...this.attempts.values()].filter((a) => a.state === 'provisioning' || a.state === 'ready')
      .length;
  }

  async countByState() {
    const counts: Partial<Record<AttemptRecord['state'], number>> = {};
    for (const a of this.attempts.values()) counts[a.state] = (counts[a.state] ?? 0) + 1;
    return counts;
  }

  async queuedIds() {
    return [...this.attempts.values()].filter((a) => a.state === 'queued').map((a) => a.id);
  }

  async transition(
    id: string,
    from: AttemptState,
    to: AttemptState,
    patch: AttemptPatch,
    entry: AttemptLogEntry,
  ) {
    const a = this.attempts.get(id);
    if (!a || a.state !== from) return null;
    Object.assign(a, patch, { state: to });
    this.events.push({ ...entry, attemptId: id });
    this.writes.push(`transition ${from}->${to}`);
    return strip(a);
  }

  async update(id: string, patch: AttemptPatch, entry?: AttemptLogEntry) {
    const a = this.attempts.get(id);
    if (!a) throw new Error(`no attempt ${id}`);
    Object.assign(a, patch);
    if (entry) this.events.push({ ...entry, attemptId: id });
    this.writes.push('update');
    return strip(a);
  }

  async log(id: string, entry: AttemptLogEntry) {
    this.events.push({ ...entry, attemptId: id });
  }

  async touch(id: string, at: Date) {
    const a = this.attempts.get(id);
    if (a && a.lastActivityAt < at) a.lastActivityAt = at;
  }

  async addCheckRun(run: Omit<CheckRunRecord, 'id'>) {
    const r = { ...run, id: randomUUID() };
    this.runs.push(r);
    this.writes.push('check-run');
    return r;
  }

  async listCheckRuns(attemptId: string) {
    return this.runs.filter((r) => r.attemptId === attemptId).reverse();
  }

  async latestCheckRun(attemptId: string) {
    return this.runs.filter((r) => r.attemptId === attemptId).at(-1) ?? null;
  }

  async addHintUse(attemptId: string, index: number, cost: number) {
    const list = this.hints.get(attemptId) ?? [];
    if (list.some((h) => h.index === index)) return false;
    list.push({ index, cost, revealedAt: new Date() });
    this.hints.set(attemptId, list);
    this.attempts.get(attemptId)!.hintsUsed++;
    return true;
  }

  async listHintUses(attemptId: string) {
    return this.hints.get(attemptId) ?? [];
  }

  async addCommand(attemptId: string, command: CommandRecord) {
    this.commands.set(attemptId, [...(this.commands.get(attemptId) ?? []), command]);
  }

  async listCommands(attemptId: string) {
    return this.commands.get(attemptId) ?? [];
  }

  async enqueue(kind: JobRecord['kind'], attemptId: string, generation: number) {
    this.jobs.push({ id: randomUUID(), kind, attemptId, generation, tries: 0, owner: null, done: false });
    this.writes.push(`enqueue ${attemptId} g${generation}`);
  }

  async claim(owner: string, limit: number) {
    const free = this.jobs.filter((j) => !j.done && !j.owner).slice(0, limit);
    for (const j of free) Object.assign(j, { owner, tries: j.tries + 1 });
    return free.map(({ owner: _o, done: _d, ...j }) => j);
  }

  async renew() {}

  async complete(jobId: string) {
    const j = this.jobs.find((x) => x.id === jobId);
    if (j) Object.assign(j, { done: true, owner: null });
  }

  async pendingFor(attemptId: string) {
    return this.jobs
      .filter((j) => j.attemptId === attemptId && !j.done)
      .map(({ owner, done: _d, ...j }) => ({ ...j, leased: owner !== null }));
  }

  async releaseAllLeases() {
    for (const j of this.jobs) j.owner = null;
  }
}

function strip(a: AttemptRecord & { activeKey: string | null }): AttemptRecord {
  const { activeKey: _k, ...rest } = a;
  return { ...rest };
}

/** An attempt row with plausible defaults. */
export function attemptFactory(partial: Partial<AttemptRecord> & { userId: string }): AttemptRecord {
  const now = new Date('2026-12-01T12:00:00Z');
  return {
    id: randomUUID(),
    labVersionId: 'lv-1',
    labSlug: 'svc-selector-mismatch',
    seed: 'seed1',
    state: 'queued',
    step: null,
    generation: 0,
    clusterProvider: null,
    clusterName: null,
    kubeconfig: null,
    toolboxNamespace: null,
    toolboxPod: null,
    message: null,
    failureCause: null,
    score: null,
    hintsUsed: 0,
    extended: false,
    createdAt: now,
    readyAt: null,
    endedAt: null,
    expiresAt: null,
    lastActivityAt: now,
    examSittingId: null,
    ...partial,
  };
}
