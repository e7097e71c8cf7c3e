import { Inject, Injectable } from '@nestjs/common';
import type { CheckResult } from '@netlab/grader';
import { DatabaseService } from '../database/database.service';
import type { Attempt, Prisma } from '../database/generated/client';
import type { AttemptState, ProvisioningStep } from './attempt-state';
import type { AttemptStore, NewAttempt } from './attempt.store';
import {
  activeKeyOf,
  type AttemptLogEntry,
  type AttemptPatch,
  type AttemptRecord,
  type CheckRunRecord,
  type CheckTrigger,
  type CommandRecord,
  type HintUseRecord,
} from './attempt.types';

type Db = Prisma.TransactionClient;
type DbState = Attempt['state'];

const LIVE: DbState[] = ['QUEUED', 'PROVISIONING', 'READY'];

/** Attempts, their event log, check runs, hint uses and command log in the database. */
@Injectable()
export class AttemptRepository implements AttemptStore {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  async createQueued(input: NewAttempt): Promise<{ attempt: AttemptRecord; created: boolean }> {
    const activeKey = activeKeyOf(input.userId, input.labSlug);
    const existing = await this.db.prisma.attempt.findUnique({ where: { activeKey } });
    if (existing) return { attempt: toRecord(existing), created: false };
    try {
      const row = await this.db.prisma.$transaction(async (tx) => {
        const row = await tx.attempt.create({
          data: {
            userId: input.userId,
            labVersionId: input.labVersionId,
            labSlug: input.labSlug,
            seed: input.seed,
            activeKey,
            examSittingId: input.examSittingId ?? null,
          },
        });
        await tx.attemptEvent.create({
          data: {
            attemptId: row.id,
            type: 'created',
            toState: 'QUEUED',
            cause: 'the learner started the lab',
          },
        });
        await tx.job.create({ data: { kind: 'provision', attemptId: row.id, payload: { generation: 0 } } });
        return row;
      });
      return { attempt: toRecord(row), created: true };
    } catch (error) {
      // Two starts at once: the other one holds the key; return its attempt.
      if ((error as { code?: string }).code !== 'P2002') throw error;
      const other = await this.db.prisma.attempt.findUnique({ where: { activeKey } });
      if (!other) throw error;
      return { attempt: toRecord(other), created: false };
    }
  }

  async get(id: string): Promise<AttemptRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.prisma.attempt.findUnique({ where: { id } });
    return row && toRecord(row);
  }

  async findByClusterName(name: string): Promise<AttemptRecord | null> {
    const row = await this.db.prisma.attempt.findFirst({
      where: { clusterName: name, state: { in: LIVE } },
      orderBy: { createdAt: 'desc' },
    });
    return row && toRecord(row);
  }

  async listByUser(userId: string): Promise<(AttemptRecord & { checkRuns: number })[]> {
    const rows = await this.db.prisma.attempt.findMany({
      where: { userId },
      orderBy: { createdAt: 'desc' },
      include: { _count: { select: { checkRuns: true } } },
    });
    return rows.map((r) => ({ ...toRecord(r), checkRuns: r._count.checkRuns }));
  }

  async listLive(): Promise<AttemptRecord[]> {
    const rows = await this.db.prisma.attempt.findMany({
      where: { state: { in: LIVE } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toRecord);
  }

  countLiveOfUser(userId: string): Promise<number> {
    return this.db.prisma.attempt.count({ where: { userId, state: { in: LIVE } } });
  }

  countHoldingClusters(): Promise<number> {
    return this.db.prisma.attempt.count({ where: { state: { in: ['PROVISIONING', 'READY'] } } });
  }

  async countByState(): Promise<Partial<Record<AttemptState, number>>> {
    const groups = await this.db.prisma.attempt.groupBy({ by: ['state'], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.state.toLowerCase() as AttemptState, g._count._all]));
  }

  async queuedIds(): Promise<string[]> {
    const rows = await this.db.prisma.attempt.findMany({
      where: { state: 'QUEUED' },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async transition(
    id: string,
    from: AttemptState,
    to: AttemptState,
    patch: AttemptPatch,
    entry: AttemptLogEntry,
  ): Promise<AttemptRecord | null> {
    return this.db.prisma.$transaction(async (tx) => {
      const moved = await tx.attempt.updateMany({
        where: { id, state: toDbState(from) },
        data: { ...patch, state: toDbState(to) },
      });
      if (moved.count !== 1) return null;
      await this.writeLog(tx, id, entry);
      return toRecord((await tx.attempt.findUnique({ where: { id } }))!);
    });
  }

  async update(id: string, patch: AttemptPatch, entry?: AttemptLogEntry): Promise<AttemptRecord> {
    return this.db.prisma.$transaction(async (tx) => {
      const row = await tx.attempt.update({ where: { id }, data: patch });
      if (entry) await this.writeLog(tx, id, entry);
      return toRecord(row);
    });
  }

  async log(id: string, entry: AttemptLogEntry): Promise<void> {
    await this.writeLog(this.db.prisma, id, entry);
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.prisma.attempt.updateMany({
      where: { id, lastActivityAt: { lt: at } },
      data: { lastActivityAt: at },
    });
  }

  async addCheckRun(run: Omit<CheckRunRecord, 'id'>): Promise<CheckRunRecord> {
    const row = await this.db.prisma.checkRun.create({
      data: { ...run, results: run.results as unknown as Prisma.InputJsonValue },
    });
    return toCheckRun(row);
  }

  async listCheckRuns(attemptId: string): Promise<CheckRunRecord[]> {
    const rows = await this.db.prisma.checkRun.findMany({
      where: { attemptId },
      orderBy: { startedAt: 'desc' },
    });
    return rows.map(toCheckRun);
  }

  async latestCheckRun(attemptId: string): Promise<CheckRunRecord | null> {
    const row = await this.db.prisma.checkRun.findFirst({
      where: { attemptId },
      orderBy: { startedAt: 'desc' },
    });
    return row && toCheckRun(row);
  }

  async addHintUse(attemptId: string, index: number, cost: number): Promise<boolean> {
    try {
      await this.db.prisma.$transaction(async (tx) => {
        await tx.hintUse.create({ data: { attemptId, index, cost } });
        await tx.attempt.update({ where: { id: attemptId }, data: { hintsUsed: { increment: 1 } } });
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return false;
      throw error;
    }
  }

  async listHintUses(attemptId: string): Promise<HintUseRecord[]> {
    const rows = await this.db.prisma.hintUse.findMany({ where: { attemptId }, orderBy: { index: 'asc' } });
    return rows.map((r) => ({ index: r.index, cost: r.cost, revealedAt: r.revealedAt }));
  }

  async addCommand(attemptId: string, command: CommandRecord): Promise<void> {
    await this.db.prisma.terminalCommand.create({ data: { attemptId, ...command } });
  }

  async listCommands(attemptId: string): Promise<CommandRecord[]> {
    const rows = await this.db.prisma.terminalCommand.findMany({
      where: { attemptId },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({
      terminalId: r.terminalId,
      command: r.command,
      exitCode: r.exitCode,
      at: r.at,
    }));
  }

  private async writeLog(tx: Db, attemptId: string, entry: AttemptLogEntry): Promise<void> {
    await tx.attemptEvent.create({
      data: {
        attemptId,
        type: entry.type,
        cause: entry.cause,
        fromState: entry.fromState ? toDbState(entry.fromState) : null,
        toState: entry.toState ? toDbState(entry.toState) : null,
        data: (entry.data ?? undefined) as Prisma.InputJsonValue | undefined,
      },
    });
  }
}

function toDbState(state: AttemptState): DbState {
  return state.toUpperCase() as DbState;
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function toRecord(row: Attempt): AttemptRecord {
  return {
    id: row.id,
    userId: row.userId,
    labVersionId: row.labVersionId,
    labSlug: row.labSlug,
    seed: row.seed,
    state: row.state.toLowerCase() as AttemptState,
    step: row.step as ProvisioningStep | null,
    generation: row.generation,
    clusterProvider: row.clusterProvider,
    clusterName: row.clusterName,
    kubeconfig: row.kubeconfig,
    toolboxNamespace: row.toolboxNamespace,
    toolboxPod: row.toolboxPod,
    message: row.message,
    failureCause: row.failureCause,
    score: row.score,
    hintsUsed: row.hintsUsed,
    extended: row.extended,
    createdAt: row.createdAt,
    readyAt: row.readyAt,
    endedAt: row.endedAt,
    expiresAt: row.expiresAt,
    lastActivityAt: row.lastActivityAt,
    examSittingId: row.examSittingId,
  };
}

function toCheckRun(row: {
  id: string;
  attemptId: string;
  trigger: string;
  passed: boolean;
  score: number | null;
  results: unknown;
  startedAt: Date;
  durationMs: number;
}): CheckRunRecord {
  return {
    id: row.id,
    attemptId: row.attemptId,
    trigger: row.trigger as CheckTrigger,
    passed: row.passed,
    score: row.score,
    results: row.results as CheckResult[],
    startedAt: row.startedAt,
    durationMs: row.durationMs,
  };
}
