import { z } from 'zod';

/** The domains of each CNCF exam's published curriculum, spelled as the curriculum spells them. */
export const CURRICULUM_DOMAINS = {
  CKA: [
    'Cluster Architecture, Installation & Configuration',
    'Workloads & Scheduling',
    'Services & Networking',
    'Storage',
    'Troubleshooting',
  ],
  CKAD: [
    'Application Design and Build',
    'Application Deployment',
    'Application Observability and Maintenance',
    'Application Environment, Configuration and Security',
    'Services and Networking',
  ],
  CKS: [
    'Cluster Setup',
    'Cluster Hardening',
    'System Hardening',
    'Minimize Microservice Vulnerabilities',
    'Supply Chain Security',
    'Monitoring, Logging and Runtime Security',
  ],
} as const;

/** An exam whose curriculum a lab can be tagged with. */
export type CurriculumExam = keyof typeof CURRICULUM_DOMAINS;

const competency = z
  .string()
  .min(3)
  .describe("The competency within the domain, in the curriculum's words where it has them.");

/**
 * One curriculum item a lab practises: the exam, one of that exam's domains (an instructor filters
 * on these two) and the competency in words.
 */
export const CurriculumItem = z.discriminatedUnion('exam', [
  z.strictObject({ exam: z.literal('CKA'), domain: z.enum(CURRICULUM_DOMAINS.CKA), competency }),
  z.strictObject({ exam: z.literal('CKAD'), domain: z.enum(CURRICULUM_DOMAINS.CKAD), competency }),
  z.strictObject({ exam: z.literal('CKS'), domain: z.enum(CURRICULUM_DOMAINS.CKS), competency }),
]);
/** A curriculum item, e.g. `{ exam: 'CKA', domain: 'Troubleshooting', competency: 'Troubleshoot services and networking' }`. */
export type CurriculumItem = z.infer<typeof CurriculumItem>;
