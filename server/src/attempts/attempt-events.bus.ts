import { Injectable } from '@nestjs/common';

/** One server-sent event of an attempt's stream. */
export interface AttemptStreamEvent {
  /** Sequence within the attempt's stream (SSE `id:`), so `Last-Event-ID` resumes. */
  id: number;
  type: 'attempt' | 'check-run' | 'warning';
  data: unknown;
}

type Listener = (event: AttemptStreamEvent) => void;

interface Channel {
  seq: number;
  recent: AttemptStreamEvent[];
  listeners: Set<Listener>;
}

/** Events kept per attempt for resuming streams; older ones are gone (the next `attempt` event has it all). */
const REPLAY = 32;

/**
 * The attempts' live events, per attempt, in this process: bounded replay so a reconnecting
 * browser misses nothing recent. Channels without listeners are dropped after publishing nothing.
 */
@Injectable()
export class AttemptEventsBus {
  private readonly channels = new Map<string, Channel>();

  /** Whether anyone is listening (the view is built only then). */
  hasListeners(attemptId: string): boolean {
    return (this.channels.get(attemptId)?.listeners.size ?? 0) > 0;
  }

  publish(attemptId: string, type: AttemptStreamEvent['type'], data: unknown): void {
    const channel = this.channels.get(attemptId);
    if (!channel) return;
    const event = { id: ++channel.seq, type, data };
    channel.recent.push(event);
    if (channel.recent.length > REPLAY) channel.recent.shift();
    for (const listener of channel.listeners) listener(event);
  }

  /** Listens; replays kept events after `lastEventId`. Returns the unsubscribe function. */
  subscribe(attemptId: string, listener: Listener, lastEventId?: number): () => void {
    let channel = this.channels.get(attemptId);
    if (!channel) {
      channel = { seq: 0, recent: [], listeners: new Set() };
      this.channels.set(attemptId, channel);
    }
    if (lastEventId !== undefined) for (const e of channel.recent) if (e.id > lastEventId) listener(e);
    channel.listeners.add(listener);
    const ch = channel;
    return () => {
      ch.listeners.delete(listener);
      if (!ch.listeners.size) this.channels.delete(attemptId);
    };
  }
}
