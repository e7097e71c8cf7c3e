import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import type { ErrorBody } from './error.filter';

type JsonSchema = Record<string, unknown>;

/** A zod schema as the OpenAPI 3.0 JSON Schema that @nestjs/swagger puts into /api/docs. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Documents a route's JSON request body with the zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType, description?: string): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema, 'input'), ...(description ? { description } : {}) });
}

/** Documents one response of a route: its status, what it means, and (if any) its zod schema. */
export function ApiZodResponse(
  status: number,
  description: string,
  schema?: z.ZodType,
): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, ...(schema ? { schema: openApiSchema(schema) } : {}) });
}

/** The error body every failure has (see common/error.filter.ts). */
export const ErrorBodySchema = z.object({
  code: z.string().describe('SCREAMING_SNAKE code, e.g. VALIDATION_FAILED'),
  message: z.string().describe('A sentence saying what went wrong and what to do'),
  details: z.unknown().optional(),
}) satisfies z.ZodType<ErrorBody>;

/** Documents error responses of a route, e.g. `ApiErrors(401, 403, 404)`. */
export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_MEANING[status] ?? 'Error',
        schema: openApiSchema(ErrorBodySchema),
      }),
    ),
  );
}

const ERROR_MEANING: Record<number, string> = {
  400: 'VALIDATION_FAILED: details lists { path, message } per invalid field',
  401: 'UNAUTHENTICATED: no live session',
  403: 'FORBIDDEN (wrong role) or CSRF_INVALID (missing/stale x-csrf-token)',
  404: 'NOT_FOUND',
  409: 'Conflict with the current state',
  422: 'The lab or request cannot be processed as it is',
  429: 'TOO_MANY_ATTEMPTS / QUOTA_EXCEEDED; Retry-After says when to try again',
  503: 'A dependency is not available',
};
