import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/auth.types';
import { ApiErrors, ApiZodResponse } from '../common/api-schema.decorators';
import { NetMap } from '../clusters/net-map.dto';
import { ATTEMPT_ID_PARAM, CommandListResponse } from './attempt.dto';
import { AttemptAccess } from './attempt-access';
import { AttemptEventsBus } from './attempt-events.bus';
import { AttemptService } from './attempt.service';
import { AttemptNotifier } from './attempt.notifier';

/** Heartbeat comment period: keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

/** The attempt's live events (SSE), its command log and its NetMap. */
@ApiTags('attempts')
@Controller('api/attempts')
export class AttemptStreamController {
  constructor(
    @Inject(AttemptAccess) private readonly access: AttemptAccess,
    @Inject(AttemptEventsBus) private readonly bus: AttemptEventsBus,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(AttemptService) private readonly attempts: AttemptService,
  ) {}

  @Get(':id/events')
  @ApiProduces('text/event-stream')
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'Server-sent events: attempt, step, check-run, expiry-warning (docs/api-contract.md)')
  @ApiErrors(401, 404)
  async events(
    @CurrentUser() user: SessionUser,
    @Param('id') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { attempt } = await this.access.readable(user, id);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (e: { id: number; type: string; data: unknown }) =>
      res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    const resume = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : undefined;
    const unsubscribe = this.bus.subscribe(id, write, resume);
    // The current state first, so a fresh page (or one that missed events) is complete at once.
    this.notifier.changed(attempt);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  @Get(':id/commands')
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, "Commands typed in the attempt's terminals, oldest first", CommandListResponse)
  @ApiErrors(401, 404)
  async commands(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return { commands: await this.attempts.commands(user, id) };
  }

  @Get(':id/netmodel')
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'The live map of the lab namespaces', NetMap)
  @ApiErrors(401, 404, 409)
  netmodel(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.netMap(user, id);
  }
}
