export {
  POOL_LABEL,
  parsePoolTargets,
  poolTurnedOff,
  parseProfileKey,
  profileKey,
  profileOf,
  type ClusterProfile,
} from './cluster-profile';
export {
  WarmPool,
  type PoolEvent,
  type PoolProfileStatus,
  type PoolProvider,
  type PoolTarget,
  type WarmPoolOptions,
} from './warm-pool';
