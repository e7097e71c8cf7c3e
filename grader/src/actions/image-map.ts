import { parse } from 'yaml';
import { GraderError, GraderErrorCode } from '../errors';

/** Image names to use instead of others, for clusters without registry access: `{ 'nginx:1.27': 'registry.local/nginx:1.27' }`. */
export type ImageMap = Record<string, string>;

/**
 * The image to run for `image`: an exact entry wins; else an entry for the repository without its
 * tag (`nginx` → `mirror/nginx`) keeps the tag; else the image itself.
 */
export function mapImage(image: string, map: ImageMap | undefined): string {
  if (!map) return image;
  if (map[image]) return map[image];
  const m = /^(.*?)([:@][^/]*)?$/.exec(image);
  const repo = m?.[1] ?? image;
  const rest = m?.[2] ?? '';
  return map[repo] ? `${map[repo]}${rest}` : image;
}

/** A copy of a Kubernetes object with every container image (pod, template, init) mapped. */
export function mapObjectImages<T>(object: T, map: ImageMap | undefined): T {
  if (!map || Object.keys(map).length === 0) return object;
  const copy = structuredClone(object) as Record<string, unknown>;
  const spec = copy.spec as Record<string, unknown> | undefined;
  const podSpecs = [spec, (spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec];
  for (const podSpec of podSpecs) {
    for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
      const list = podSpec?.[key];
      if (!Array.isArray(list)) continue;
      for (const c of list as { image?: string }[]) if (c.image) c.image = mapImage(c.image, map);
    }
  }
  return copy as T;
}

/** Reads an image map file (YAML or JSON: a mapping of image → image), or throws naming the problem. */
export function parseImageMap(text: string, file: string): ImageMap {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${file}: not valid YAML: ${(error as Error).message}`,
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${file}: expected a mapping of image → image, e.g. "nginx:1.27: registry.local/nginx:1.27"`,
    );
  }
  const bad = Object.entries(data).filter(([, v]) => typeof v !== 'string' || !v);
  if (bad.length) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${file}: ${bad.map(([k]) => `"${k}"`).join(', ')} must map to an image name (a string)`,
    );
  }
  return data as ImageMap;
}
