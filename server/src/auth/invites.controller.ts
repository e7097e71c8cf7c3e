import { randomBytes } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrors, ApiZodBody, ApiZodResponse } from '../common/api-schema.decorators';
import { AppError, AppErrorCode } from '../common/app-error';
import { CLOCK, type Clock } from '../common/clock';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CurrentUser, Roles } from './auth.decorators';
import type { SessionUser } from './auth.types';
import { InviteRepository } from './invite.repository';

export const CreateInviteBody = z.object({
  email: z
    .email({ error: 'expected an email address such as ada@example.com' })
    .transform((e) => e.toLowerCase())
    .optional()
    .describe('Only this email may use the invite; omit for anyone'),
  role: z.enum(['learner', 'instructor'], { error: 'expected "learner" or "instructor"' }).default('learner'),
  expiresInDays: z
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'must be at least 1' })
    .max(90, { error: 'must be at most 90' })
    .default(14),
});
export type CreateInviteBody = z.output<typeof CreateInviteBody>;

export const InviteResponse = z.object({
  code: z.string().describe('Give this to the invitee; it is shown once and stored only hashed'),
  role: z.enum(['learner', 'instructor']),
  email: z.string().nullable(),
  expiresAt: z.iso.datetime(),
});

/** Invite codes for NETLAB_REGISTRATION=invite: instructors invite learners, admins also instructors. */
@ApiTags('auth')
@Controller('api/auth/invites')
export class InvitesController {
  constructor(
    @Inject(InviteRepository) private readonly invites: InviteRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('instructor', 'admin')
  @ApiZodBody(CreateInviteBody)
  @ApiZodResponse(201, 'A new invite code', InviteResponse)
  @ApiErrors(400, 401, 403)
  async create(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(CreateInviteBody)) body: CreateInviteBody,
  ) {
    if (body.role === 'instructor' && user.role !== 'admin') {
      throw new AppError(AppErrorCode.FORBIDDEN, 'Only an admin can invite instructors.');
    }
    const code = randomBytes(12).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + body.expiresInDays * 24 * 3600_000);
    await this.invites.create(code, {
      role: body.role,
      expiresAt,
      createdById: user.id,
      ...(body.email ? { email: body.email } : {}),
    });
    return { code, role: body.role, email: body.email ?? null, expiresAt: expiresAt.toISOString() };
  }
}
