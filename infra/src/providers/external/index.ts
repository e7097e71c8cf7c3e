export { EXTERNAL_CLUSTER_LABEL, ExternalProvider, type ExternalProviderOptions } from './external.provider';
