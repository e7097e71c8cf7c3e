import type { components } from './generated/openapi';

// Short names for the server's schemas, so components import `Attempt` rather than the long path.
type Schemas = components['schemas'];
export type User = Schemas['User'];
export type LabSummary = Schemas['LabSummary'];
export type LabDetail = Schemas['LabDetail'];
export type Attempt = Schemas['Attempt'];
export type AttemptState = Attempt['state'];
export type AttemptSummary = Schemas['AttemptSummary'];
export type CheckView = Schemas['CheckView'];
export type CheckRun = Schemas['CheckRun'];
export type PathLink = Schemas['PathLink'];
export type NetMap = Schemas['NetMap'];
export type Difficulty = LabSummary['difficulty'];

/** Attempt states after which nothing happens to the attempt any more. */
export const ENDED_STATES: readonly AttemptState[] = ['passed', 'expired', 'abandoned', 'failed'];
export const isEnded = (state: AttemptState): boolean => ENDED_STATES.includes(state);
