import { z } from 'zod';

/** Body of `POST /api/attempts`. */
export const StartAttemptBody = z.strictObject({
  labSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    error: 'expected a lab slug: lower-case letters, digits and "-" (e.g. svc-selector-mismatch)',
  }),
});
/** A parsed {@link StartAttemptBody}. */
export type StartAttemptBody = z.infer<typeof StartAttemptBody>;
