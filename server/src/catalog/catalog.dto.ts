import { z } from 'zod';

/** Route parameter `:slug`. */
export const LabSlugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
  error: 'expected a lab slug: lower-case letters, digits and dashes, at most 64 characters',
});

/** The learner's own progress on a lab. */
export const LabProgressView = z.object({
  status: z.enum(['none', 'active', 'passed', 'ended']),
  bestScore: z.number().nullable(),
  activeAttemptId: z.string().nullable(),
});
export type LabProgressView = z.infer<typeof LabProgressView>;

/** A lab in the catalog listing. Never contains the solution, bypasses, fault or check internals. */
export const LabSummary = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  estimatedMinutes: z.number().int(),
  tags: z.array(z.string()),
  curriculum: z
    .array(
      z.object({
        exam: z.enum(['CKA', 'CKAD', 'CKS']),
        domain: z.string(),
        competency: z.string(),
      }),
    )
    .describe('The CKA/CKAD/CKS curriculum items the lab practises'),
  valid: z.boolean(),
  problems: z.array(z.string()).optional().describe('Instructors and admins: why the lab is invalid'),
  my: LabProgressView.optional(),
});
export type LabSummary = z.infer<typeof LabSummary>;

/** One lab with its instructions (default seed), hint costs and check titles. */
export const LabDetail = LabSummary.extend({
  steps: z.array(z.object({ title: z.string(), markdown: z.string() })),
  hints: z.array(z.object({ index: z.number().int(), cost: z.number().int() })),
  checks: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type LabDetail = z.infer<typeof LabDetail>;

export const LabListResponse = z.object({ labs: z.array(LabSummary) });
