import { describe, expect, it } from 'vitest';
import { CATALOG_DIR, loadLabOrThrow, type LoadedLab } from '@netlab/labs';
import { labClusterNeeds } from './lab-actions';

describe(labClusterNeeds.name, () => {
  const lab = loadLabOrThrow(`${CATALOG_DIR}/example-hello`, { seed: 'a' });

  it('should ask for no images when the lab declares none', () => {
    expect(labClusterNeeds(lab)).toEqual({ nodes: 2, cni: true, networkPolicy: true });
  });

  it("should pass the lab's declared images on to the cluster when it declares some", () => {
    const images = [{ image: 'ghcr.io/acme/shop-api', model: 'http-echo' as const, cmd: ['-text=hi'] }];
    const sut: LoadedLab = { ...lab, definition: { ...lab.definition, images } };

    expect(labClusterNeeds(sut)).toEqual({ nodes: 2, cni: true, networkPolicy: true, images });
  });
});
