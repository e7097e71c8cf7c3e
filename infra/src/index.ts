export * from './errors';
export type * from './providers/provider';
export * from './sim';
export * from './providers/common';
export * from './providers/kind';
export * from './pool';
export * from './reaper';
export * from './providers/external';
export * from './providers/sim';
