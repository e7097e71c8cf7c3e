import { z } from 'zod';

const ParameterName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected a parameter name: letters, digits and _' });

const base = {
  name: ParameterName,
  description: z.string().optional(),
};

/** One value picked from a list. */
export const ChoiceParameter = z.strictObject({
  ...base,
  type: z.literal('choice'),
  values: z.array(z.union([z.string(), z.int()])).min(1, { error: 'expected at least one value' }),
});

/** An integer in [min, max]. */
export const IntParameter = z.strictObject({
  ...base,
  type: z.literal('int'),
  min: z.int(),
  max: z.int(),
});

/** A random token, e.g. a name suffix; lowercase letters and digits by default so it is a valid Kubernetes name. */
export const TokenParameter = z.strictObject({
  ...base,
  type: z.literal('token'),
  length: z.int().min(1).max(32).default(5),
  alphabet: z.string().min(2).default('abcdefghijklmnopqrstuvwxyz0123456789'),
  prefix: z.string().default(''),
});

/** A value drawn per attempt from the attempt's seed, so two learners' answers differ. */
export const Parameter = z.discriminatedUnion('type', [ChoiceParameter, IntParameter, TokenParameter]);
/** A declared lab parameter. */
export type Parameter = z.infer<typeof Parameter>;
