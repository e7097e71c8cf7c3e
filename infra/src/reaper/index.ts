export {
  Reaper,
  type ReapReason,
  type ReapResult,
  type ReapableProvider,
  type ReaperOptions,
} from './reaper';
