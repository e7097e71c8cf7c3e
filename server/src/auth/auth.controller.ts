import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, ApiZodBody, ApiZodResponse } from '../common/api-schema.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CurrentUser, Public } from './auth.decorators';
import {
  AuthConfigResponse,
  CsrfResponse,
  LoginBody,
  MeResponse,
  RegisterBody,
  SignedInResponse,
} from './auth.dto';
import type { AuthenticatedRequest } from './auth-request';
import { AuthService, type SignedIn } from './auth.service';
import type { SessionUser } from './auth.types';
import { CsrfTokens } from './csrf-tokens';
import { SESSION_POLICY } from './session.service';
import { cookieOptions, PRESESSION_COOKIE, readCookie, SESSION_COOKIE } from './session-cookie';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CsrfTokens) private readonly csrf: CsrfTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('csrf')
  @ApiZodResponse(200, 'The token to send as x-csrf-token', CsrfResponse)
  csrfToken(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response) {
    if (req.auth?.sessionId) return { token: this.csrf.issue({ sessionId: req.auth.sessionId }) };
    let presession = readCookie(req.headers.cookie, PRESESSION_COOKIE);
    if (!presession || !/^[A-Za-z0-9_-]{16,64}$/.test(presession)) {
      presession = this.csrf.newPresession();
      res.cookie(PRESESSION_COOKIE, presession, cookieOptions(this.config.publicUrl));
    }
    return { token: this.csrf.issue({ presession }) };
  }

  @Public()
  @Post('register')
  @HttpCode(200)
  @ApiZodBody(RegisterBody)
  @ApiZodResponse(200, 'Registered and signed in (sets the session cookie)', SignedInResponse)
  @ApiErrors(400, 403, 409, 429)
  async register(
    @Body(new ZodValidationPipe(RegisterBody)) body: RegisterBody,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.signedIn(await this.auth.register(body, callerOf(req)), req, res);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(LoginBody)
  @ApiZodResponse(200, 'Signed in (sets the session cookie)', SignedInResponse)
  @ApiErrors(400, 401, 403, 429)
  async login(
    @Body(new ZodValidationPipe(LoginBody)) body: LoginBody,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.signedIn(await this.auth.login(body, callerOf(req)), req, res);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiZodResponse(204, 'Signed out (the session ends and the cookie is cleared)')
  @ApiErrors(401, 403)
  async logout(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response) {
    if (req.auth?.sessionId) await this.auth.logout(req.auth.sessionId);
    res.clearCookie(SESSION_COOKIE, cookieOptions(this.config.publicUrl));
  }

  @Get('me')
  @ApiZodResponse(200, 'The signed-in user', MeResponse)
  @ApiErrors(401)
  me(@CurrentUser() user: SessionUser) {
    return { user };
  }

  @Public()
  @Get('config')
  @ApiZodResponse(200, 'How this server registers new accounts', AuthConfigResponse)
  authConfig() {
    return { registration: this.config.registration };
  }

  private async signedIn({ user, session }: SignedIn, req: AuthenticatedRequest, res: Response) {
    if (req.auth?.sessionId) await this.auth.logout(req.auth.sessionId);
    const maxAge = new Date(Date.now() + SESSION_POLICY.absoluteMs);
    res.cookie(SESSION_COOKIE, session.token, cookieOptions(this.config.publicUrl, maxAge));
    return { user, csrfToken: this.csrf.issue({ sessionId: session.id }) };
  }
}

function callerOf(req: AuthenticatedRequest) {
  const userAgent = req.headers['user-agent'];
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', ...(userAgent ? { userAgent } : {}) };
}
