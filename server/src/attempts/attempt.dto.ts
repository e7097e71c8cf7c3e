import { z } from 'zod';
import { ATTEMPT_STATES } from './attempt-state';

/** Body of `POST /api/attempts`. */
export const StartAttemptBody = z.strictObject({
  labSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    error: 'expected a lab slug: lower-case letters, digits and "-" (e.g. svc-selector-mismatch)',
  }),
});
/** A parsed {@link StartAttemptBody}. */
export type StartAttemptBody = z.infer<typeof StartAttemptBody>;

/** Route parameter `:id` of every attempt route, documented for the OpenAPI document. */
export const ATTEMPT_ID_PARAM = { name: 'id', description: 'The attempt id (from POST /api/attempts)' };

const iso = () => z.string().describe('ISO 8601 time');

/** One link of a failing reachability check's path, as the lab room draws it. */
export const PathLinkView = z.object({
  hop: z.enum(['source', 'dns', 'service', 'endpoints', 'policy', 'listener', 'target']),
  label: z.string(),
  ok: z.boolean(),
  reason: z.string().optional().describe('Why this link is broken (only when ok is false)'),
});
export type PathLinkView = z.infer<typeof PathLinkView>;

/** One check's latest status as a learner may see it (exams hide evidence, diagnosis and path). */
export const CheckView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pending', 'pass', 'fail', 'error']),
  evidence: z.string().nullable(),
  diagnosis: z.string().nullable(),
  path: z.array(PathLinkView).nullable().optional(),
});
export type CheckView = z.infer<typeof CheckView>;

/** A persisted grade. */
export const CheckRunView = z.object({
  id: z.string(),
  trigger: z.enum(['manual', 'live', 'final']),
  passed: z.boolean(),
  score: z.number().nullable(),
  startedAt: iso(),
  durationMs: z.number(),
  checks: z.array(CheckView),
});
export type CheckRunView = z.infer<typeof CheckRunView>;

/** An attempt as its owner (or a supervising instructor) sees it. */
export const AttemptView = z.object({
  id: z.string(),
  labSlug: z.string(),
  labTitle: z.string(),
  state: z.enum(ATTEMPT_STATES),
  provisioning: z.object({
    step: z.enum(['cluster', 'setup', 'fault', 'toolbox']).nullable(),
    percent: z.number(),
    steps: z.array(z.object({ name: z.string(), state: z.enum(['pending', 'running', 'done', 'failed']) })),
    queuePosition: z.number().int().nullable(),
  }),
  message: z.string().nullable().describe('Why the attempt is in its state, in words for the learner'),
  steps: z.array(z.object({ title: z.string(), markdown: z.string() })),
  checks: z.array(CheckView),
  hints: z.array(
    z.object({
      index: z.number().int(),
      cost: z.number(),
      revealed: z.boolean(),
      markdown: z.string().nullable(),
    }),
  ),
  score: z.number().nullable(),
  hintsUsed: z.number().int(),
  extended: z.boolean(),
  canExtend: z.boolean(),
  createdAt: iso(),
  readyAt: iso().nullable(),
  endedAt: iso().nullable(),
  expiresAt: iso().nullable(),
  solution: z.object({ commands: z.array(z.string()) }).nullable(),
  debrief: z
    .object({ markdown: z.string(), links: z.array(z.object({ title: z.string(), url: z.string() })) })
    .nullable(),
  terminal: z.object({ available: z.boolean() }),
});
export type AttemptView = z.infer<typeof AttemptView>;

/** A row of "my attempts". */
export const AttemptSummaryView = z.object({
  id: z.string(),
  labSlug: z.string(),
  labTitle: z.string(),
  state: z.enum(ATTEMPT_STATES),
  score: z.number().nullable(),
  hintsUsed: z.number().int(),
  createdAt: iso(),
  endedAt: iso().nullable(),
  durationSeconds: z.number().nullable(),
  checkRuns: z.number().int(),
});
export type AttemptSummaryView = z.infer<typeof AttemptSummaryView>;

export const AttemptListResponse = z.object({ attempts: z.array(AttemptSummaryView) });
export const CheckRunListResponse = z.object({ checkRuns: z.array(CheckRunView) });
export const HintResponse = z.object({
  hint: z.object({ index: z.number().int(), cost: z.number(), markdown: z.string() }),
  attempt: AttemptView,
});
/** The attempt's command log (from the terminal's shell integration). */
export const CommandListResponse = z.object({
  commands: z.array(
    z.object({
      terminalId: z.string(),
      command: z.string(),
      exitCode: z.number().int().nullable(),
      at: iso(),
    }),
  ),
});
