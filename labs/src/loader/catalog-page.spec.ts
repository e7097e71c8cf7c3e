import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listLabDirs } from './catalog';
import { CATALOG_PAGE_PATH, catalogPageText } from './catalog-page';

describe(catalogPageText.name, () => {
  it('should equal labs/CATALOG.md when the page was regenerated after the last lab change (`npm run -w @netlab/labs catalog`)', () => {
    expect(readFileSync(CATALOG_PAGE_PATH, 'utf8')).toBe(catalogPageText());
  });

  it('should have one row per lab when it renders the shipped catalog', () => {
    const sut = catalogPageText();
    for (const dir of listLabDirs()) {
      const id = dir.split('/').at(-1)!;
      expect(sut).toContain(`| [\`${id}\`](catalog/${id}/lab.yaml) |`);
    }
  });

  it('should name the difficulty and the curriculum items of a lab when it lists it', () => {
    const row = catalogPageText()
      .split('\n')
      .find((l) => l.includes('[`no-cni`]'));
    expect(row).toContain('| intermediate |');
    expect(row).toContain('CKA · Troubleshooting: Troubleshoot clusters and nodes');
  });
});
