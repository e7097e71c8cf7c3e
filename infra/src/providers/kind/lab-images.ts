import { listLabDirs, loadLab } from '@netlab/labs';

/** The lab toolbox (kubectl, curl, dig, nc, jq, ...), built from infra/images/toolbox. */
export const TOOLBOX_IMAGE = 'netlab/toolbox:0.1.0';

/** The grader's default probe image (grader's DEFAULT_PROBE_IMAGE; infra may not import the grader). */
export const PROBE_IMAGE = 'nicolaka/netshoot:v0.13';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Every container image named anywhere in these Kubernetes objects (pods, templates, CronJobs, ...). */
export function imagesOfObjects(objects: readonly unknown[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, inContainers: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, inContainers);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (inContainers && key === 'image' && typeof child === 'string' && child) found.add(child);
        else walk(child, CONTAINER_LISTS.has(key));
      }
    }
  };
  walk(objects, false);
  return [...found].sort();
}

/** The images every lab's manifests use (setup, fault, solution, bypasses), and the labs that would not load. */
export function labImages(labDirs: readonly string[] = listLabDirs()): {
  images: string[];
  problems: string[];
} {
  const images = new Set<string>();
  const problems: string[] = [];
  for (const dir of labDirs) {
    const result = loadLab(dir);
    if (!result.ok) {
      problems.push(`${dir}: ${result.problems.length} problem(s); run \`npx netlab lab validate ${dir}\``);
      continue;
    }
    for (const image of imagesOfObjects(Object.values(result.lab.manifests))) images.add(image);
  }
  return { images: [...images].sort(), problems };
}

/** What every kind cluster gets preloaded: the toolbox, the probe image and every lab image. */
export function defaultKindImages(labDirs?: readonly string[]): string[] {
  return [...new Set([TOOLBOX_IMAGE, PROBE_IMAGE, ...labImages(labDirs).images])];
}
