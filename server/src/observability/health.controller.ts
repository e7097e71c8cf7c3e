import type { ClusterProvider } from '@netlab/infra';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Public } from '../auth/auth.decorators';
import { CLUSTER_PROVIDER } from '../clusters/cluster-provider.token';
import { ApiZodResponse } from '../common/api-schema.decorators';
import { DatabaseService } from '../database/database.service';

const PROBE_TIMEOUT_MS = 3000;

const HealthResponse = z.object({ status: z.literal('ok') });
const ReadyResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ database: z.string(), provider: z.string() }).describe('"ok" or what failed'),
});

/** Liveness (the process answers) and readiness (the database and the cluster provider answer). */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(CLUSTER_PROVIDER) private readonly provider: ClusterProvider,
  ) {}

  @Public()
  @Get('healthz')
  @ApiZodResponse(200, 'The process is up', HealthResponse)
  health() {
    return { status: 'ok' as const };
  }

  @Public()
  @Get('readyz')
  @ApiZodResponse(200, 'Ready: the database and the cluster provider answer', ReadyResponse)
  @ApiZodResponse(503, 'Not ready: checks says which dependency failed and how', ReadyResponse)
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, provider] = await Promise.all([
      probe(() => this.db.ping()),
      probe(() => this.provider.list()),
    ]);
    const ok = database === 'ok' && provider === 'ok';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, provider } };
  }
}

async function probe(call: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([call().then(() => 'ok'), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
