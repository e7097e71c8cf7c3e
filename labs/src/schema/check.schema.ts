import { z } from 'zod';
import { Duration, IntLike, K8sName, Labels, LocalId, ObjectRef, Port } from './primitives.schema';

/** The network identity a probe runs as: a namespace and the labels of the source pods. */
export const Source = z.strictObject({
  namespace: K8sName,
  labels: Labels.describe('The probe runs with the identity of a pod carrying these labels.'),
});
/** A probe's network identity. */
export type Source = z.infer<typeof Source>;

const common = {
  id: LocalId,
  title: z.string().min(1).describe('What the learner sees, e.g. "frontend reaches api on /healthz".'),
  timeout: Duration.default('10s'),
  retries: z.int().min(0).max(20).default(2),
  afterFault: z
    .strictObject({
      result: z.enum(['pass', 'fail']),
      diagnosisIncludes: z
        .string()
        .optional()
        .describe('Text the diagnosis must contain when the fault is live.'),
    })
    .default({ result: 'pass' })
    .describe('What this check must report while the fault is in place (used by `netlab lab test`).'),
};

const ServiceRef = z.strictObject({ namespace: K8sName, name: K8sName });

/** Options of each check type; `type` picks which. */
export const Check = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.literal('endpoints'),
    service: ServiceRef,
    minReady: IntLike.default(1),
  }),
  z.strictObject({
    ...common,
    type: z.literal('http'),
    from: Source,
    url: z.string().min(1),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name: letters, digits and "-"'), z.string())
      .optional()
      .describe(
        'Request headers, e.g. { Host: shop.example.com } to reach a virtual host of an ingress controller',
      ),
    insecure: z
      .boolean()
      .optional()
      .describe("For an https URL: do not verify the server's certificate (curl -k)."),
    expect: z.union([
      z.literal('blocked'),
      z.strictObject({ status: IntLike.optional(), bodyIncludes: z.string().optional() }),
    ]),
  }),
  z.strictObject({
    ...common,
    type: z.literal('tcp'),
    from: Source,
    host: z.string().min(1),
    port: Port,
    expect: z.enum(['connected', 'refused', 'blocked']),
  }),
  z.strictObject({
    ...common,
    type: z.literal('dns'),
    from: Source,
    name: z.string().min(1),
    expect: z.enum(['resolves', 'nxdomain']),
  }),
  z.strictObject({
    ...common,
    type: z.literal('resource'),
    target: ObjectRef,
    exists: z.boolean().default(true),
    jsonPath: z.string().optional().describe('A JSONPath into the object, e.g. $.spec.ports[0].targetPort'),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  }),
  z.strictObject({ ...common, type: z.literal('nodes-ready'), count: IntLike.optional() }),
  z.strictObject({
    ...common,
    type: z.literal('pods-ready'),
    namespace: K8sName,
    labels: Labels,
    minReady: IntLike.default(1),
  }),
  z.strictObject({
    ...common,
    type: z.literal('script'),
    command: z
      .string()
      .min(1)
      .describe(
        'Run by sh where the grader runs, with KUBECONFIG pointed at the lab cluster; passes on exit code 0.',
      ),
  }),
]);
/** A named, declarative probe with an expected outcome. */
export type Check = z.infer<typeof Check>;
/** Every check type. */
export const CHECK_TYPES = Check.options.map((o) => o.shape.type.value);
