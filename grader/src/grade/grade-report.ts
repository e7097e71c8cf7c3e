import type { Check } from '@netlab/labs';
import type { PathLink } from '../netmodel/types';

/** pass: the expectation held. fail: it did not (a broken cluster). error: the check could not run. */
export type CheckStatus = 'pass' | 'fail' | 'error';

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  type: Check['type'];
  status: CheckStatus;
  /** What was observed, in words (the last attempt's). */
  evidence: string;
  /** On failure: which link is broken, naming the objects, from the networking model. */
  diagnosis?: string;
  /** On a failed reachability check (http, tcp, endpoints): the model's path, link by link, as the UI draws it. */
  path?: PathLink[];
  /** Wall time of all attempts, in ms. */
  durationMs: number;
  /** Attempts made (1 + retries used; summed over observations with `stableForMs`). */
  attempts: number;
  /** With `stableForMs`: how many times the check was observed before its verdict was reported. */
  observations?: number;
  /** With `stableForMs`: how long (ms) the reported verdict held, from the first observation that gave it to the last. */
  heldForMs?: number;
  /** With `stableForMs`: the verdict kept changing and never held for the window; `status` is the worst recently seen. */
  unstable?: boolean;
}

/** A run of all of a lab's checks. */
export interface GradeReport {
  labId: string;
  seed: string;
  /** True when every check passed. */
  passed: boolean;
  checks: CheckResult[];
  startedAt: Date;
  durationMs: number;
}

/** What one attempt of a check observed, before retries and timing are added. */
export interface CheckOutcome {
  status: CheckStatus;
  evidence: string;
  diagnosis?: string;
  path?: PathLink[];
}
