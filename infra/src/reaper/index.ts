export { Reaper, type ReapReason, type ReapResult, type ReaperOptions } from './reaper';
