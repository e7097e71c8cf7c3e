import { z } from 'zod';

/** A parameter reference as written in a lab file before rendering, e.g. `{{ port }}`. */
export const TEMPLATE_PATTERN = /^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/;

/** Durations like `500ms`, `10s`, `2m`, `1h`. */
export const Duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, { error: 'expected a duration such as 500ms, 10s, 2m or 1h' })
  .describe('A duration: a whole number followed by ms, s, m or h.');

/** An integer that may also be written as a quoted string or a `{{ parameter }}` (rendered before validation). */
export const IntLike = z
  .union([
    z.int(),
    z.string().regex(/^\d+$/),
    z.string().regex(TEMPLATE_PATTERN, { error: 'expected an integer or a {{ parameter }}' }),
  ])
  .transform((v) => Number(v))
  .pipe(z.int({ error: 'expected an integer' }));

/** A TCP/UDP/SCTP port number (1–65535), possibly from a parameter. */
export const Port = IntLike.pipe(
  z
    .int()
    .min(1, { error: 'expected a port from 1 to 65535' })
    .max(65535, { error: 'expected a port from 1 to 65535' }),
);

/** A DNS-1123 label, as Kubernetes requires for names of most objects. */
export const K8sName = z.string().regex(/^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?|.*\{\{.*\}\}.*)$/, {
  error: 'expected a Kubernetes name: lowercase letters, digits and "-", starting and ending alphanumeric',
});

/** Identifiers used inside a lab (check ids, bypass ids): kebab-case. */
export const LocalId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected a kebab-case id such as "web-has-endpoints"' });

/** A label map, as in `matchLabels`. */
export const Labels = z.record(z.string(), z.string());

/** A path to a file inside the lab folder. */
export const LabFile = (dir: string, ext: string) =>
  z.string().regex(new RegExp(`^${dir}/[A-Za-z0-9._-]+\\.${ext}$`), {
    error: `expected a file under ${dir}/ ending in .${ext}`,
  });

/** A reference to one Kubernetes object. */
export const ObjectRef = z.strictObject({
  apiVersion: z.string().optional().describe('Defaults to the usual group/version of the kind.'),
  kind: z.string().min(1),
  namespace: K8sName.optional(),
  name: K8sName,
});
