import type { paths } from './paths';
import type { components } from './pending-contract';

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

// Short names for the server's schemas, so components import `Attempt` rather than a long path.
export type User = Json<'/api/auth/me', 'get'>['user'];
export type LabSummary = Json<'/api/labs', 'get'>['labs'][number];
export type LabDetail = Json<'/api/labs/{slug}', 'get'>;
export type Difficulty = LabSummary['difficulty'];

type Schemas = components['schemas'];
export type Attempt = Schemas['Attempt'];
export type AttemptState = Attempt['state'];
export type AttemptSummary = Schemas['AttemptSummary'];
export type CheckView = Schemas['CheckView'];
export type CheckRun = Schemas['CheckRun'];
export type PathLink = Schemas['PathLink'];
export type NetMap = Schemas['NetMap'];

/** Attempt states after which nothing happens to the attempt any more. */
export const ENDED_STATES: readonly AttemptState[] = ['passed', 'expired', 'abandoned', 'failed'];
export const isEnded = (state: AttemptState): boolean => ENDED_STATES.includes(state);
