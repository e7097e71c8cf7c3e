import type { paths } from './generated/openapi';

type Json<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

// Short names for the server's schemas, so components import `Attempt` rather than a long path.
export type User = Json<'/api/auth/me', 'get'>['user'];
export type LabSummary = Json<'/api/labs', 'get'>['labs'][number];
export type LabDetail = Json<'/api/labs/{slug}', 'get'>;
export type Difficulty = LabSummary['difficulty'];
export type CurriculumItem = LabSummary['curriculum'][number];
export type Exam = CurriculumItem['exam'];

export type Attempt = Json<'/api/attempts/{id}', 'get'>;
export type AttemptState = Attempt['state'];
export type AttemptSummary = Json<'/api/attempts', 'get'>['attempts'][number];
export type CheckRun = Json<'/api/attempts/{id}/check', 'post'>;
export type CheckView = CheckRun['checks'][number];
export type PathLink = NonNullable<CheckView['path']>[number];
export type NetMap = Json<'/api/attempts/{id}/netmodel', 'get'>;

/** Attempt states after which nothing happens to the attempt any more. */
export const ENDED_STATES: readonly AttemptState[] = ['passed', 'expired', 'abandoned', 'failed'];
export const isEnded = (state: AttemptState): boolean => ENDED_STATES.includes(state);
