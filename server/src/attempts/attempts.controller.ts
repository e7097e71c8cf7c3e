import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/auth.types';
import { ApiErrors, ApiZodBody, ApiZodResponse } from '../common/api-schema.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import {
  ATTEMPT_ID_PARAM,
  AttemptListResponse,
  AttemptView,
  CheckRunListResponse,
  CheckRunView,
  HintResponse,
  StartAttemptBody,
} from './attempt.dto';
import { AttemptService } from './attempt.service';

/** The attempts API (docs/api-contract.md, Attempts): validates and delegates. */
@ApiTags('attempts')
@Controller('api/attempts')
export class AttemptsController {
  constructor(@Inject(AttemptService) private readonly attempts: AttemptService) {}

  @Post()
  @ApiZodBody(StartAttemptBody)
  @ApiZodResponse(201, 'A new attempt, queued', AttemptView)
  @ApiZodResponse(200, 'The live attempt of this lab that exists already', AttemptView)
  @ApiErrors(400, 401, 403, 404, 422, 429)
  async start(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(StartAttemptBody)) body: StartAttemptBody,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { attempt, created } = await this.attempts.start(user, body.labSlug);
    res.status(created ? 201 : 200);
    return attempt;
  }

  @Get()
  @ApiZodResponse(200, "The signed-in learner's attempts, newest first", AttemptListResponse)
  @ApiErrors(401)
  async list(@CurrentUser() user: SessionUser) {
    return { attempts: await this.attempts.listMine(user) };
  }

  @Get(':id')
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'The attempt with its provisioning, checks and hints', AttemptView)
  @ApiErrors(401, 404)
  get(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.get(user, id);
  }

  @Get(':id/check-runs')
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'Every grade of the attempt, newest first', CheckRunListResponse)
  @ApiErrors(401, 404)
  async checkRuns(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return { checkRuns: await this.attempts.checkRuns(user, id) };
  }

  @Post(':id/check')
  @HttpCode(200)
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'The grade just run and persisted', CheckRunView)
  @ApiErrors(401, 403, 404, 409)
  check(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.check(user, id);
  }

  @Post(':id/hints')
  @HttpCode(200)
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'The hint just revealed (its cost is recorded) and the attempt', HintResponse)
  @ApiErrors(401, 403, 404, 409)
  hint(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.hint(user, id);
  }

  @Post(':id/reset')
  @HttpCode(200)
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'A fresh cluster with the same parameters is being provisioned', AttemptView)
  @ApiErrors(401, 403, 404, 409)
  reset(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.reset(user, id);
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'The expiry moved once', AttemptView)
  @ApiErrors(401, 403, 404, 409)
  extend(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.extend(user, id);
  }

  @Post(':id/finish')
  @HttpCode(200)
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'Graded once more: passed if every check passes, else failed', AttemptView)
  @ApiErrors(401, 403, 404, 409)
  finish(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.finish(user, id);
  }

  @Post(':id/abandon')
  @HttpCode(200)
  @ApiParam(ATTEMPT_ID_PARAM)
  @ApiZodResponse(200, 'Ended without passing; the solution is shown', AttemptView)
  @ApiErrors(401, 403, 404, 409)
  abandon(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    return this.attempts.abandon(user, id);
  }
}
