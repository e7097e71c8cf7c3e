import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookie';

/** Where the Swagger UI is served; the JSON document is at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'api/docs';

/** The OpenAPI document of every route, generated from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('netlab API')
    .setDescription(
      'Hands-on Kubernetes networking labs. Sign in with POST /api/auth/login (session cookie ' +
        `${SESSION_COOKIE}); every POST/PUT/PATCH/DELETE carries x-csrf-token from GET /api/auth/csrf. ` +
        'Errors are { code, message, details }.',
    )
    .setVersion('1')
    .addCookieAuth(SESSION_COOKIE)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }, 'csrf')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the Swagger UI at /api/docs and the JSON document at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    customSiteTitle: 'netlab API',
  });
}
