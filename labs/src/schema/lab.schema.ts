import { z } from 'zod';
import { Action } from './action.schema';
import { Check } from './check.schema';
import { CurriculumItem } from './curriculum.schema';
import { Parameter } from './parameter.schema';
import { Duration, LabFile, LocalId } from './primitives.schema';

/** What the lab's cluster must be like. The fault may override parts of it (e.g. no CNI). */
export const ClusterNeeds = z.strictObject({
  nodes: z.int().min(1).max(5).default(2).describe('Nodes in all: one control-plane plus workers.'),
  cni: z.boolean().default(true).describe('Whether a CNI is installed when the cluster is created.'),
  networkPolicy: z.boolean().default(true).describe('Whether the CNI enforces NetworkPolicy.'),
});
/** Cluster requirements of a lab. */
export type ClusterNeeds = z.infer<typeof ClusterNeeds>;

/** The sim's behaviour models a lab may give its own image (the kube-system and toolbox models are not). */
export const DECLARABLE_IMAGE_MODELS = [
  'shell',
  'nginx',
  'httpd',
  'http-echo',
  'agnhost',
  'serve-hostname',
  'python',
  'node',
  'curl',
  'whoami',
  'httpbin',
  'database',
  'pause',
] as const;

/**
 * A lab's own image and how it behaves on the sim, with the same fields as a row of the sim's image
 * catalog (infra/src/sim/apps/image-catalog.ts): the behaviour model it runs, and where they differ
 * from that model's image, its ENTRYPOINT/CMD, shell and tools. kind pulls the real image.
 */
export const LabImage = z.strictObject({
  image: z
    .string()
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
      error: 'expected a repository without a tag, e.g. ghcr.io/acme/shop-api (every tag of it pulls)',
    })
    .describe('The repository, e.g. ghcr.io/acme/shop-api; every tag and digest of it pulls.'),
  model: z
    .enum(DECLARABLE_IMAGE_MODELS)
    .describe("The sim's behaviour model it runs (the catalog image of that model is the starting point)."),
  entrypoint: z.array(z.string()).optional().describe("Its ENTRYPOINT, if not the model image's."),
  cmd: z.array(z.string()).optional().describe("Its CMD, if not the model image's."),
  shell: z
    .enum(['ash', 'dash', 'bash', 'none'])
    .optional()
    .describe('Its /bin/sh: busybox ash, Debian dash, bash, or none (distroless, scratch).'),
  tools: z
    .array(z.string().regex(/^[A-Za-z0-9._+-]+$/))
    .optional()
    .describe(
      "The programs it ships besides the shell (what `kubectl exec` can run), if not the model image's.",
    ),
  listens: z.array(z.string()).optional().describe('What its default command listens on, for the docs.'),
  tls: z
    .array(
      z.strictObject({
        port: z.int().min(1).max(65535).describe('The port it serves TLS on.'),
        certificate: z
          .string()
          .regex(/^\/[^\0]*$/, { error: 'expected an absolute path, e.g. /etc/tls/tls.crt' })
          .describe('The PEM file (leaf first) it presents, e.g. mounted from a kubernetes.io/tls Secret.'),
        plainHttp: z
          .enum(['close', 'go-400'])
          .optional()
          .describe(
            "What plain HTTP sent to that port gets: the connection closed (default) or Go net/http's 400.",
          ),
      }),
    )
    .optional()
    .describe('Ports it serves TLS on (curl and wget in the sim speak TLS to them).'),
  about: z.string().optional(),
});
/** One image a lab declares. */
export type LabImage = z.infer<typeof LabImage>;

/** A staged hint; its cost is subtracted from the score when the learner reveals it. */
export const Hint = z.strictObject({
  text: z.string().min(1).describe('Markdown, templated with the parameters.'),
  cost: z.int().min(0).max(100).default(5),
});

/** A shortcut that makes the symptom go away without the real fix; some check must catch it. */
export const Bypass = z.strictObject({
  id: LocalId,
  description: z.string().min(1),
  actions: z.array(Action).min(1),
  caughtBy: z.array(LocalId).min(1).describe('Ids of the checks that must fail once this bypass is applied.'),
});

/** How `netlab lab test` treats this lab. */
export const LabTestSettings = z.strictObject({
  convergeTimeout: Duration.optional().describe(
    'How long `netlab lab test` waits, after each action, for the checks to show what the lab declares for that phase (default 30s; 10s on the sim).',
  ),
});

/** The whole of `lab.yaml`. */
export const LabDefinition = z.strictObject({
  $schema: z.string().optional(),
  id: LocalId.describe('Unique across the catalog; by convention the folder name.'),
  title: z.string().min(3),
  summary: z.string().min(10),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  estimatedMinutes: z.int().min(1).max(240),
  ttlMinutes: z
    .int()
    .min(5)
    .max(1440)
    .optional()
    .describe(
      "How long an attempt's cluster lives at most; the server's default (NETLAB_ATTEMPT_TTL_MINUTES) when absent.",
    ),
  idleMinutes: z
    .int()
    .min(5)
    .max(1440)
    .optional()
    .describe(
      "How long an attempt may sit without activity before it ends; the server's default when absent.",
    ),
  tags: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
  curriculum: z
    .array(CurriculumItem)
    .default([])
    .describe('The CKA/CKAD/CKS curriculum items this lab practises (every catalog lab names at least one).'),
  cluster: ClusterNeeds.default({ nodes: 2, cni: true, networkPolicy: true }),
  parameters: z.array(Parameter).default([]),
  images: z
    .array(LabImage)
    .default([])
    .describe("The lab's own images with their behaviour on the sim (catalog images need no entry)."),
  steps: z.array(LabFile('steps', 'md')).min(1).describe('Learner instructions, shown in this order.'),
  setup: z.array(Action).min(1).describe('Builds the healthy app.'),
  fault: z.strictObject({
    summary: z.string().min(1).describe('For instructors: what is broken. Never shown to learners.'),
    cluster: ClusterNeeds.partial().optional().describe('Cluster options that are part of the fault.'),
    actions: z.array(Action).default([]),
  }),
  checks: z.array(Check).min(1),
  hints: z.array(Hint).min(1),
  solution: z.strictObject({
    commands: z
      .array(z.string().min(1))
      .min(1)
      .describe('What a learner would type; shown after the lab ends.'),
    actions: z.array(Action).min(1).describe('The same fix as data, applied by `netlab lab test`.'),
  }),
  bypasses: z.array(Bypass).default([]),
  test: LabTestSettings.default({}).describe('Settings for `netlab lab test`.'),
  debrief: z.strictObject({
    file: z.string().regex(/^[A-Za-z0-9._-]+\.md$/, { error: 'expected a Markdown file in the lab folder' }),
    links: z
      .array(z.strictObject({ title: z.string().min(1), url: z.url() }))
      .min(1, { error: 'expected at least one link to the Kubernetes documentation' }),
  }),
});
/** A parsed, rendered and validated `lab.yaml`. */
export type LabDefinition = z.infer<typeof LabDefinition>;
/** `lab.yaml` as written, before defaults. */
export type LabDefinitionInput = z.input<typeof LabDefinition>;
