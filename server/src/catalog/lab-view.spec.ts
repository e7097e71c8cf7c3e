import { basename } from 'node:path';
import { CATALOG_DIR, listLabDirs, loadLabOrThrow } from '@netlab/labs';
import { describe, expect, it } from 'vitest';
import { detailOf, summaryOf, type CatalogEntry } from './lab-view';

const shipped: CatalogEntry[] = listLabDirs().map((dir) => {
  const lab = loadLabOrThrow(dir);
  return { slug: lab.definition.id, dir, valid: true, lab };
});

describe(detailOf.name, () => {
  it.each(shipped.map((e) => [e.slug, e] as const))(
    'should show %s without solution, bypasses, fault or check internals',
    (_slug, entry) => {
      if (!entry.valid) throw new Error('shipped labs are valid');
      const sut = detailOf(entry, CATALOG_DIR);
      expect(Object.keys(sut).sort()).toEqual(
        [
          'checks',
          'curriculum',
          'difficulty',
          'estimatedMinutes',
          'hints',
          'slug',
          'steps',
          'summary',
          'tags',
          'title',
          'valid',
        ].sort(),
      );
      for (const check of sut.checks) expect(Object.keys(check).sort()).toEqual(['id', 'title']);
      for (const hint of sut.hints) expect(Object.keys(hint).sort()).toEqual(['cost', 'index']);
      const json = JSON.stringify(sut);
      const d = entry.lab.definition;
      expect(json).not.toContain(d.fault.summary);
      for (const command of d.solution.commands) expect(json).not.toContain(command);
      for (const bypass of d.bypasses) expect(json).not.toContain(bypass.description);
      for (const hint of d.hints) expect(json).not.toContain(hint.text);
      expect(json).not.toContain(entry.lab.debrief.trim().slice(0, 40));
    },
  );

  it.each(shipped.map((e) => [e.slug, e] as const))(
    'should show the curriculum items %s practises when viewed',
    (_slug, entry) => {
      if (!entry.valid) throw new Error('shipped labs are valid');
      const sut = summaryOf(entry, CATALOG_DIR);
      expect(sut.curriculum).toEqual(entry.lab.definition.curriculum);
      expect(sut.curriculum.length).toBeGreaterThan(0);
      for (const item of sut.curriculum) expect(['CKA', 'CKAD', 'CKS']).toContain(item.exam);
    },
  );

  it('should list an invalid lab with its problems relative to the catalog', () => {
    const entry: CatalogEntry = {
      slug: 'broken',
      dir: `${CATALOG_DIR}/broken`,
      valid: false,
      problems: [{ file: `${CATALOG_DIR}/broken/lab.yaml`, line: 3, path: 'difficulty', message: 'bad' }],
    };
    expect(summaryOf(entry, CATALOG_DIR)).toMatchObject({
      slug: 'broken',
      valid: false,
      problems: ['broken/lab.yaml:3 difficulty: bad'],
    });
    expect(detailOf(entry, CATALOG_DIR)).toMatchObject({ steps: [], hints: [], checks: [] });
    expect(basename(entry.dir)).toBe('broken');
  });
});
