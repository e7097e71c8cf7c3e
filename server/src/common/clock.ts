/** The time source of services that expire things, so tests can move time instead of waiting. */
export interface Clock {
  now(): Date;
}
/** Nest injection token of the {@link Clock}. */
export const CLOCK = Symbol('Clock');

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
