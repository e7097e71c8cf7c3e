// The Kubernetes networking model: pure functions over Kubernetes objects.
export type * from './types';
