export * from './errors';
export type * from './providers/provider';
export * from './sim';
