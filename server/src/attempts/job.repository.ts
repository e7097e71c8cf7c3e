import { Inject, Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { JobRecord, JobStore } from './attempt.store';

interface JobRow {
  id: string;
  kind: string;
  attemptId: string | null;
  payload: unknown;
  tries: number;
}

/**
 * Durable jobs with row leases. The claim is one statement with `FOR UPDATE SKIP LOCKED`: on
 * PostgreSQL several replicas take different rows; on PGlite (one connection, one process) the
 * same statement runs serialised, which is the in-process equivalent. Times are compared in UTC,
 * as Prisma stores them.
 */
@Injectable()
export class JobRepository implements JobStore {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  async enqueue(kind: JobRecord['kind'], attemptId: string, generation: number): Promise<void> {
    await this.db.prisma.job.create({ data: { kind, attemptId, payload: { generation } } });
  }

  async claim(owner: string, limit: number, leaseMs: number): Promise<JobRecord[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<JobRow[]>(
      `UPDATE "Job" SET "leaseOwner" = $1,
         "leaseUntil" = (now() AT TIME ZONE 'UTC') + make_interval(secs => $2::double precision / 1000),
         "tries" = "tries" + 1
       WHERE "id" IN (
         SELECT "id" FROM "Job"
         WHERE "doneAt" IS NULL AND "runAt" <= (now() AT TIME ZONE 'UTC')
           AND ("leaseUntil" IS NULL OR "leaseUntil" < (now() AT TIME ZONE 'UTC'))
         ORDER BY "runAt", "createdAt"
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING "id", "kind", "attemptId", "payload", "tries"`,
      owner,
      leaseMs,
      limit,
    );
    return rows.map(toJob);
  }

  async renew(jobIds: string[], owner: string, leaseMs: number): Promise<void> {
    await this.db.prisma.job.updateMany({
      where: { id: { in: jobIds }, leaseOwner: owner, doneAt: null },
      data: { leaseUntil: new Date(Date.now() + leaseMs) },
    });
  }

  async complete(jobId: string, error?: string): Promise<void> {
    await this.db.prisma.job.update({
      where: { id: jobId },
      data: {
        doneAt: new Date(),
        leaseOwner: null,
        leaseUntil: null,
        lastError: error?.slice(0, 2000) ?? null,
      },
    });
  }

  async pendingFor(attemptId: string): Promise<(JobRecord & { leased: boolean })[]> {
    const rows = await this.db.prisma.job.findMany({ where: { attemptId, doneAt: null } });
    const now = Date.now();
    return rows.map((r) => ({ ...toJob(r), leased: !!r.leaseUntil && r.leaseUntil.getTime() > now }));
  }

  async releaseAllLeases(): Promise<void> {
    await this.db.prisma.job.updateMany({
      where: { doneAt: null },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }
}

function toJob(row: JobRow): JobRecord {
  const payload = (row.payload ?? {}) as { generation?: number };
  return {
    id: row.id,
    kind: row.kind as JobRecord['kind'],
    attemptId: row.attemptId ?? '',
    generation: payload.generation ?? 0,
    tries: row.tries,
  };
}
