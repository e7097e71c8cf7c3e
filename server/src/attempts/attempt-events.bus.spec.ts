import { describe, expect, it } from 'vitest';
import { AttemptEventsBus, type AttemptStreamEvent } from './attempt-events.bus';

describe(AttemptEventsBus.name, () => {
  it('should replay the events after Last-Event-ID to a reconnecting listener', () => {
    const sut = new AttemptEventsBus();
    const first: AttemptStreamEvent[] = [];
    const off = sut.subscribe('a1', (e) => first.push(e));
    sut.publish('a1', 'attempt', { n: 1 });
    sut.publish('a1', 'check-run', { n: 2 });
    sut.publish('a1', 'attempt', { n: 3 });
    const second: AttemptStreamEvent[] = [];
    sut.subscribe('a1', (e) => second.push(e), first[0]!.id);
    off();
    expect(first.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(second.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('should keep nothing for attempts nobody listens to', () => {
    const sut = new AttemptEventsBus();
    sut.publish('a2', 'attempt', {});
    expect(sut.hasListeners('a2')).toBe(false);
    const seen: AttemptStreamEvent[] = [];
    sut.subscribe('a2', (e) => seen.push(e), 0);
    expect(seen).toEqual([]);
  });
});
