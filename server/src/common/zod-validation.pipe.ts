import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { AppError, AppErrorCode, type FieldProblem } from './app-error';

/**
 * Validates a body, query or route parameter against a zod schema and returns the parsed value;
 * otherwise 400 VALIDATION_FAILED with one `{ path, message }` per problem, all at once.
 * Use as `@Body(new ZodValidationPipe(LoginBody)) body: LoginBody`.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map(toFieldProblem);
    throw new AppError(
      AppErrorCode.VALIDATION_FAILED,
      `The request is invalid: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}.`,
      problems,
    );
  }
}

/** One zod issue as a field problem; a missing field says "is required" rather than zod's type talk. */
export function toFieldProblem(issue: z.core.$ZodIssue): FieldProblem {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return { path, message: `is required (expected ${issue.expected})` };
  }
  return { path, message: issue.message };
}
