export * from './errors';
export * from './schema';
export { CATALOG_DIR, listLabDirs } from './loader/catalog';
export { CATALOG_PAGE_PATH, catalogPageText } from './loader/catalog-page';
export type { KubeObject } from './loader/kube-object';
export type { LabFiles, LabStep } from './loader/lab-files';
export { DEFAULT_SEED, loadLab, loadLabOrThrow, type LoadedLab, type LoadResult } from './loader/lab-loader';
export { drawParameters, type ParameterValues } from './loader/parameters';
export { renderTemplate } from './loader/template';
