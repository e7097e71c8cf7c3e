import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_DIR, listLabDirs } from './catalog';
import { loadLab } from './lab-loader';

const SEEDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

describe(listLabDirs.name, () => {
  it('should list the five seed labs', () => {
    const ids = listLabDirs().map((d) => d.split('/').at(-1));
    for (const id of [
      'svc-selector-mismatch',
      'wrong-targetport',
      'localhost-bind',
      'networkpolicy-blocks-api',
      'no-cni',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it.each(listLabDirs().map((d) => [d.split('/').at(-1)!, d]))(
    'should load %s for every seed, with values that differ between attempts',
    (_, dir) => {
      const drawn = new Set<string>();
      for (const seed of SEEDS) {
        const result = loadLab(dir, { seed });
        expect(result.ok ? [] : result.problems).toEqual([]);
        if (result.ok) drawn.add(JSON.stringify(result.lab.parameters));
      }
      expect(drawn.size).toBeGreaterThan(SEEDS.length / 2);
    },
  );

  it.each(listLabDirs().map((d) => [d.split('/').at(-1)!, d]))(
    'should tag %s with at least one curriculum item',
    (_, dir) => {
      const result = loadLab(dir);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.lab.definition.curriculum.length).toBeGreaterThan(0);
    },
  );
});

describe('no-cni lab', () => {
  it('should keep in its ConfigMap exactly the kindnet manifest its solution applies', () => {
    const dir = join(CATALOG_DIR, 'no-cni');
    const result = loadLab(dir);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [configMap] = result.lab.manifests['manifests/cni-configmap.yaml']!;
    const data = (configMap as unknown as { data: Record<string, string> }).data;
    expect(data['kindnet.yaml']).toBe(readFileSync(join(dir, 'manifests/kindnet.yaml'), 'utf8'));
  });
});

describe('ingress labs', () => {
  it('should install the same ingress-nginx manifest in every lab that carries one', () => {
    // A lab folder is self-contained (it is stored whole as a lab version), so each Ingress lab
    // carries its own copy of kind's ingress-nginx manifest; the copies must not drift apart.
    const copies = listLabDirs()
      .map((dir) => join(dir, 'manifests/ingress-nginx.yaml'))
      .filter((file) => existsSync(file));
    expect(copies.length).toBeGreaterThanOrEqual(2);
    const first = readFileSync(copies[0]!, 'utf8');
    for (const file of copies.slice(1)) expect(readFileSync(file, 'utf8'), file).toBe(first);
  });
});
