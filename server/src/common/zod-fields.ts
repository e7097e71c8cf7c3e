import { z } from 'zod';

/** A string field whose messages say "is required" when it is missing and "expected a string" otherwise. */
export function requiredString() {
  return z.string({
    error: (issue) =>
      issue.input === undefined ? 'is required' : `expected a string, got ${kindOf(issue.input)}`,
  });
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
