import { listLabDirs } from '@netlab/labs';
import { describe, expect, it } from 'vitest';
import { PROBE_IMAGE, TOOLBOX_IMAGE, defaultKindImages, imagesOfObjects, labImages } from './lab-images';

describe(imagesOfObjects.name, () => {
  it('should find container, init container and template images but not other "image" fields', () => {
    const objects = [
      {
        kind: 'Pod',
        spec: { containers: [{ image: 'busybox:1.36' }], initContainers: [{ image: 'alpine:3.20' }] },
      },
      {
        kind: 'Deployment',
        spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      },
      { kind: 'ConfigMap', data: { image: 'not-an-image' } },
      {
        kind: 'CronJob',
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: 'busybox:1.36' }] } } } } },
      },
    ];

    expect(imagesOfObjects(objects)).toEqual(['alpine:3.20', 'busybox:1.36', 'nginx:1.27']);
  });
});

describe(labImages.name, () => {
  it('should collect the images of every catalog lab when given the catalog', () => {
    const result = labImages(listLabDirs());

    expect(result.problems).toEqual([]);
    expect(result.images).toContain('hashicorp/http-echo:1.0');
  });

  it('should name a lab that does not load instead of throwing', () => {
    const result = labImages(['/nonexistent/lab']);

    expect(result).toEqual({
      images: [],
      problems: [expect.stringContaining('/nonexistent/lab: 1 problem(s)')],
    });
  });
});

describe(defaultKindImages.name, () => {
  it('should preload the toolbox and the probe image first, without duplicates', () => {
    const images = defaultKindImages();

    expect(images.slice(0, 2)).toEqual([TOOLBOX_IMAGE, PROBE_IMAGE]);
    expect(new Set(images).size).toBe(images.length);
  });
});
