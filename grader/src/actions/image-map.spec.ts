import { describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { mapImage, mapObjectImages, parseImageMap } from './image-map';

describe(mapImage.name, () => {
  const map = { 'nginx:1.27': 'mirror/nginx:1.27-alpine', 'hashicorp/http-echo': 'registry.local/http-echo' };
  it.each([
    ['nginx:1.27', 'mirror/nginx:1.27-alpine'],
    ['hashicorp/http-echo:1.0', 'registry.local/http-echo:1.0'],
    ['busybox:1.36', 'busybox:1.36'],
  ])('should map %s to %s', (image, mapped) => {
    expect(mapImage(image, map)).toBe(mapped);
  });
});

describe(mapObjectImages.name, () => {
  it('should map the images of a Deployment template without touching the original', () => {
    const deployment = {
      kind: 'Deployment',
      spec: {
        template: {
          spec: {
            containers: [{ name: 'a', image: 'busybox:1.36' }],
            initContainers: [{ name: 'b', image: 'busybox:1.36' }],
          },
        },
      },
    };
    const sut = mapObjectImages(deployment, { busybox: 'mirror/busybox' });
    expect(sut.spec.template.spec.containers[0]!.image).toBe('mirror/busybox:1.36');
    expect(sut.spec.template.spec.initContainers[0]!.image).toBe('mirror/busybox:1.36');
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('busybox:1.36');
  });
});

describe(parseImageMap.name, () => {
  it('should read a YAML mapping', () => {
    expect(parseImageMap('nginx: mirror/nginx\n', 'map.yaml')).toEqual({ nginx: 'mirror/nginx' });
  });

  it.each([
    ['- nginx\n', 'map.yaml: expected a mapping of image → image'],
    ['nginx: 3\n', 'map.yaml: "nginx" must map to an image name'],
    ['a: [\n', 'map.yaml: not valid YAML'],
  ])('should reject %j naming the problem', (text, message) => {
    expect(() => parseImageMap(text, 'map.yaml')).toThrow(message);
    try {
      parseImageMap(text, 'map.yaml');
    } catch (error) {
      expect((error as { code: string }).code).toBe(GraderErrorCode.INVALID_INPUT);
    }
  });
});
