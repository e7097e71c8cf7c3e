/** The states of an attempt, in lifecycle order (the database enum is upper-case). */
export const ATTEMPT_STATES = [
  'queued',
  'provisioning',
  'ready',
  'passed',
  'expired',
  'abandoned',
  'failed',
] as const;

/** One of {@link ATTEMPT_STATES}. */
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** States after which nothing happens to the attempt any more. */
export const ENDED_STATES: readonly AttemptState[] = ['passed', 'expired', 'abandoned', 'failed'];

/** The named provisioning steps, in order, with the share of the progress bar each finishes at. */
export const PROVISIONING_STEPS = [
  { name: 'cluster', percentDone: 40 },
  { name: 'setup', percentDone: 70 },
  { name: 'fault', percentDone: 85 },
  { name: 'toolbox', percentDone: 100 },
] as const;
/** One provisioning step's name. */
export type ProvisioningStep = (typeof PROVISIONING_STEPS)[number]['name'];
