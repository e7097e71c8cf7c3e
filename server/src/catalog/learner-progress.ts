import type { LabProgressView } from './catalog.dto';

/**
 * A learner's progress per lab slug, for the `my` field of the catalog. The attempts module binds
 * LEARNER_PROGRESS to its implementation; until then every lab reads "none".
 */
export interface LearnerProgress {
  forUser(userId: string): Promise<Map<string, LabProgressView>>;
}
/** Nest injection token of the {@link LearnerProgress}. */
export const LEARNER_PROGRESS = Symbol('LearnerProgress');

/** No attempts anywhere: what the catalog shows before the attempts module provides progress. */
export const noProgress: LearnerProgress = { forUser: async () => new Map() };

/** Progress of a lab nobody started. */
export const NO_PROGRESS: LabProgressView = { status: 'none', bestScore: null, activeAttemptId: null };
