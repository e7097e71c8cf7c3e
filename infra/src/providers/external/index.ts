export {
  EXTERNAL_CLUSTER_LABEL,
  ExternalProvider,
  MIN_EXTERNAL_KUBERNETES,
  type ExternalProviderOptions,
} from './external.provider';
