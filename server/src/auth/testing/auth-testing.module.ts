import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CLOCK, systemClock } from '../../common/clock';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { loadConfig } from '../../config/config.loader';
import { SESSION_RESOLVER, type SessionUser } from '../auth.types';
import { CookieSessionResolver } from '../cookie-session.resolver';
import { CsrfTokens } from '../csrf-tokens';
import { SessionGuard } from '../session.guard';
import { SESSION_COOKIE } from '../session-cookie';
import { SessionService } from '../session.service';
import { SESSION_STORE } from '../session.store';
import { InMemorySessionStore } from './in-memory-session.store';

/** Headers that make a supertest request come from a signed-in user: `.set(headers)`. */
export interface TestCredentials {
  cookie: string;
  'x-csrf-token': string;
}

/** Signs test users in without passwords or a database. */
@Injectable()
export class TestSessions {
  constructor(
    @Inject(SESSION_STORE) private readonly store: InMemorySessionStore,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(CsrfTokens) private readonly csrf: CsrfTokens,
  ) {}

  async signIn(user: SessionUser): Promise<TestCredentials> {
    this.store.owners.set(user.id, { ...user, disabledAt: null });
    const session = await this.sessions.create(user.id);
    return {
      cookie: `${SESSION_COOKIE}=${session.token}`,
      'x-csrf-token': this.csrf.issue({ sessionId: session.id }),
    };
  }
}

/**
 * A valid APP_CONFIG for controller tests (the real loader on an empty environment, data under the
 * OS temp dir, a fixed session secret); override what the test needs.
 */
export function testAppConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const env = {
    NETLAB_DATA_DIR: join(tmpdir(), 'netlab-test-data'),
    NETLAB_SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  };
  return { ...loadConfig(env), ...overrides };
}

/**
 * The real session guard (401 / 403 / CSRF) and SESSION_RESOLVER over in-memory sessions, for
 * controller and gateway tests of other modules: import it, then `app.get(TestSessions).signIn(user)`.
 * Provides APP_CONFIG too unless `withConfig: false` is used (see {@link AuthTestingModule.forRoot}).
 */
@Global()
@Module({})
export class AuthTestingModule {
  static forRoot(config: AppConfig | null = testAppConfig()) {
    return {
      module: AuthTestingModule,
      providers: [
        ...(config ? [{ provide: APP_CONFIG, useValue: config }] : []),
        { provide: CLOCK, useValue: systemClock },
        { provide: SESSION_STORE, useClass: InMemorySessionStore },
        { provide: SESSION_RESOLVER, useExisting: CookieSessionResolver },
        { provide: APP_GUARD, useClass: SessionGuard },
        CookieSessionResolver,
        CsrfTokens,
        SessionService,
        TestSessions,
      ],
      exports: [
        ...(config ? [APP_CONFIG] : []),
        CLOCK,
        SESSION_RESOLVER,
        SessionService,
        CsrfTokens,
        TestSessions,
      ],
    };
  }
}
