import type { AttemptState } from './attempt-state';

/** What can happen to an attempt. Each one is written to the event log before its effects run. */
export type AttemptEventType =
  /** A provisioning job took the attempt off the queue. */
  | 'provision'
  /** Every provisioning step is done: the cluster is the learner's. */
  | 'provisioned'
  /** A provisioning step failed for good. */
  | 'provision-failed'
  /** A grade (manual, live or final) found every check passing. */
  | 'passed'
  /** The learner finished and the final grade did not pass. */
  | 'finish-failed'
  | 'abandon'
  | 'expire'
  /** A fresh cluster with the same parameters. */
  | 'reset'
  /** The cluster vanished (its sim host died) or provisioning was cut short by a crash. */
  | 'recover'
  | 'extend';

/** What the attempts layer does after a transition is persisted, in this order. */
export type AttemptEffect =
  /** Put a provisioning job on the queue (with generation + 1 when the transition says so). */
  | 'enqueue-provision'
  | 'bump-generation'
  /** Abort a provisioning job that is running for the attempt. */
  | 'cancel-provision'
  | 'start-live-checks'
  | 'stop-live-checks'
  | 'delete-cluster'
  /** Set readyAt and expiresAt (TTL) on entering ready. */
  | 'start-clock'
  | 'extend-clock'
  /** The attempt has ended: clear activeKey, set endedAt. */
  | 'end';

/** The result of a legal transition. */
export interface Transition {
  to: AttemptState;
  effects: readonly AttemptEffect[];
}

const LIVE: readonly AttemptState[] = ['queued', 'provisioning', 'ready'];
const ENDING: readonly AttemptEffect[] = ['cancel-provision', 'stop-live-checks', 'delete-cluster', 'end'];

type Table = Partial<Record<AttemptState, Partial<Record<AttemptEventType, Transition>>>>;

function rows(states: readonly AttemptState[], event: AttemptEventType, t: Transition): Table {
  return Object.fromEntries(states.map((s) => [s, { [event]: t }]));
}

function merge(...tables: Table[]): Table {
  const out: Table = {};
  for (const table of tables)
    for (const [state, events] of Object.entries(table) as [AttemptState, Table[AttemptState]][])
      out[state] = { ...out[state], ...events };
  return out;
}

/**
 * The attempt's life as data: (state, event) → (state, effects). Anything not in the table is
 * refused (409), so a double click, a late live grade or a reaper racing a learner cannot move an
 * attempt somewhere it should not go.
 */
export const ATTEMPT_TRANSITIONS: Table = merge(
  { queued: { provision: { to: 'provisioning', effects: [] } } },
  {
    provisioning: {
      provisioned: { to: 'ready', effects: ['start-clock', 'start-live-checks'] },
      'provision-failed': { to: 'failed', effects: ['delete-cluster', 'end'] },
    },
  },
  {
    ready: {
      passed: { to: 'passed', effects: ['stop-live-checks', 'delete-cluster', 'end'] },
      'finish-failed': { to: 'failed', effects: ['stop-live-checks', 'delete-cluster', 'end'] },
      extend: { to: 'ready', effects: ['extend-clock'] },
    },
  },
  rows(LIVE, 'abandon', { to: 'abandoned', effects: ENDING }),
  rows(LIVE, 'expire', { to: 'expired', effects: ENDING }),
  rows(['provisioning', 'ready'], 'reset', {
    to: 'queued',
    effects: [
      'cancel-provision',
      'stop-live-checks',
      'delete-cluster',
      'bump-generation',
      'enqueue-provision',
    ],
  }),
  rows(['provisioning', 'ready'], 'recover', {
    to: 'queued',
    effects: [
      'cancel-provision',
      'stop-live-checks',
      'delete-cluster',
      'bump-generation',
      'enqueue-provision',
    ],
  }),
);

/** The transition for `event` in `state`, or `undefined` when the table has none (refused). */
export function transition(state: AttemptState, event: AttemptEventType): Transition | undefined {
  return ATTEMPT_TRANSITIONS[state]?.[event];
}

/** Whether the attempt still holds (or waits for) a cluster. */
export function isLive(state: AttemptState): boolean {
  return LIVE.includes(state);
}
