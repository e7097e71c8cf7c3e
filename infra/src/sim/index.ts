export {
  ObjectStore,
  type NewObject,
  type ObjectMeta,
  type StoreEvent,
  type StoredObject,
} from './store/object-store';
export { StoreError, StoreErrorReason } from './store/store-error';
export type {
  ContainerRuntime,
  ContainerTarget,
  LogOptions,
  ProcessIO,
  TerminalSize,
} from './runtime/container-runtime';
