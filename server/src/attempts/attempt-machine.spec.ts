import { describe, expect, it } from 'vitest';
import { ATTEMPT_STATES, type AttemptState } from './attempt-state';
import { transition, type AttemptEventType } from './attempt-machine';

const STATES = ATTEMPT_STATES;
const EVENTS: AttemptEventType[] = [
  'provision',
  'provisioned',
  'provision-failed',
  'passed',
  'finish-failed',
  'abandon',
  'expire',
  'reset',
  'recover',
  'extend',
];
const ENDING = ['cancel-provision', 'stop-live-checks', 'delete-cluster', 'end'];
const AGAIN = [
  'cancel-provision',
  'stop-live-checks',
  'delete-cluster',
  'bump-generation',
  'enqueue-provision',
];

// Every legal (state, event); every pair not listed here must be refused.
const LEGAL: [AttemptState, AttemptEventType, AttemptState, string[]][] = [
  ['queued', 'provision', 'provisioning', []],
  ['queued', 'abandon', 'abandoned', ENDING],
  ['queued', 'expire', 'expired', ENDING],
  ['provisioning', 'provisioned', 'ready', ['start-clock', 'start-live-checks']],
  ['provisioning', 'provision-failed', 'failed', ['delete-cluster', 'end']],
  ['provisioning', 'abandon', 'abandoned', ENDING],
  ['provisioning', 'expire', 'expired', ENDING],
  ['provisioning', 'reset', 'queued', AGAIN],
  ['provisioning', 'recover', 'queued', AGAIN],
  ['ready', 'passed', 'passed', ['stop-live-checks', 'delete-cluster', 'end']],
  ['ready', 'finish-failed', 'failed', ['stop-live-checks', 'delete-cluster', 'end']],
  ['ready', 'extend', 'ready', ['extend-clock']],
  ['ready', 'abandon', 'abandoned', ENDING],
  ['ready', 'expire', 'expired', ENDING],
  ['ready', 'reset', 'queued', AGAIN],
  ['ready', 'recover', 'queued', AGAIN],
];

describe(transition.name, () => {
  const table = STATES.flatMap((state) =>
    EVENTS.map((event) => {
      const row = LEGAL.find(([s, e]) => s === state && e === event);
      return { state, event, expected: row ? { to: row[2], effects: row[3] } : undefined };
    }),
  );

  it.each(table)('should give $expected.to when $event happens in $state', ({ state, event, expected }) => {
    const sut = transition(state, event);
    expect(sut === undefined ? undefined : { to: sut.to, effects: [...sut.effects] }).toEqual(expected);
  });

  it('should never leave an ended state when any event happens', () => {
    for (const state of ['passed', 'expired', 'abandoned', 'failed'] as const)
      for (const event of EVENTS) expect(transition(state, event)).toBeUndefined();
  });

  it('should end the attempt (release the lab for a new start) whenever it enters an ended state', () => {
    for (const [, , to, effects] of LEGAL)
      expect(effects.includes('end')).toBe(['passed', 'expired', 'abandoned', 'failed'].includes(to));
  });
});
