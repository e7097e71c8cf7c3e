export { KindProvider, type KindMemoryEstimate, type KindProviderOptions } from './kind.provider';
export { createKindProvider } from './kind-provider.factory';
export {
  DEFAULT_KIND_CONFIG_OPTIONS,
  buildKindConfig,
  kindConfigYaml,
  type KindClusterConfig,
  type KindConfigOptions,
} from './kind-config';
export { KIND_NAME_PREFIX, OWNER_LABEL, isNetlabClusterName, kindSpecProblems } from './kind-names';
export { PROBE_IMAGE, TOOLBOX_IMAGE, defaultKindImages, imagesOfObjects, labImages } from './lab-images';
