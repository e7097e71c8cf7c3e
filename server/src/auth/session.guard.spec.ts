import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorFilter } from '../common/error.filter';
import { CurrentUser, Public, Roles } from './auth.decorators';
import type { SessionUser } from './auth.types';
import { AuthTestingModule, TestSessions, type TestCredentials } from './testing/auth-testing.module';
import { SessionGuard } from './session.guard';

@Controller('t')
class ProbeController {
  @Public() @Get('public') open(@CurrentUser() user: SessionUser | null) {
    return { user };
  }
  @Get('any') any(@CurrentUser() user: SessionUser) {
    return { email: user.email };
  }
  @Roles('instructor', 'admin') @Get('staff') staff() {
    return { ok: true };
  }
  @Post('change') change() {
    return { changed: true };
  }
  @Public() @Post('public-change') publicChange() {
    return { changed: true };
  }
}

@Module({
  imports: [AuthTestingModule.forRoot()],
  controllers: [ProbeController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
class ProbeApp {}

const learner: SessionUser = { id: 'u-l', email: 'l@example.com', displayName: 'L', role: 'learner' };
const admin: SessionUser = { id: 'u-a', email: 'a@example.com', displayName: 'A', role: 'admin' };

describe(SessionGuard.name, () => {
  let app: INestApplication;
  let asLearner: TestCredentials;
  let asAdmin: TestCredentials;

  beforeAll(async () => {
    app = await NestFactory.create(ProbeApp, { logger: false });
    await app.init();
    asLearner = await app.get(TestSessions).signIn(learner);
    asAdmin = await app.get(TestSessions).signIn(admin);
  });
  afterAll(() => app.close());

  it('should answer 401 UNAUTHENTICATED when nobody is signed in', async () => {
    const res = await request(app.getHttpServer()).get('/t/any');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'UNAUTHENTICATED', message: 'Sign in to continue.' });
  });

  it('should let anonymous callers in when the route is public', async () => {
    const res = await request(app.getHttpServer()).get('/t/public');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: null });
  });

  it('should give the route the signed-in user when the cookie is live', async () => {
    const res = await request(app.getHttpServer()).get('/t/any').set('cookie', asLearner.cookie);
    expect(res.body).toEqual({ email: 'l@example.com' });
  });

  it('should answer 401 when the cookie names no session', async () => {
    const res = await request(app.getHttpServer())
      .get('/t/any')
      .set('cookie', 'netlab_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(401);
  });

  it('should answer 403 FORBIDDEN naming the roles when the role is wrong', async () => {
    const res = await request(app.getHttpServer()).get('/t/staff').set('cookie', asLearner.cookie);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 'FORBIDDEN',
      message: 'This needs the instructor or admin role; you are signed in as learner.',
    });
    const ok = await request(app.getHttpServer()).get('/t/staff').set('cookie', asAdmin.cookie);
    expect(ok.status).toBe(200);
  });

  it('should refuse a state-changing request with 403 CSRF_INVALID when the token is missing', async () => {
    const res = await request(app.getHttpServer()).post('/t/change').set('cookie', asLearner.cookie);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_INVALID');
  });

  it("should refuse a CSRF token bound to another user's session", async () => {
    const res = await request(app.getHttpServer())
      .post('/t/change')
      .set('cookie', asLearner.cookie)
      .set('x-csrf-token', asAdmin['x-csrf-token']);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_INVALID');
  });

  it('should accept a state-changing request when the token is bound to the session', async () => {
    const res = await request(app.getHttpServer())
      .post('/t/change')
      .set({ ...asLearner });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ changed: true });
  });

  it('should require CSRF on public state-changing routes too', async () => {
    const res = await request(app.getHttpServer()).post('/t/public-change');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_INVALID');
  });
});
