import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR, listLabDirs, loadLab } from '@netlab/labs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLabsDir, VALID_LAB } from '../testing/labs-fixture';
import { LabLoadCache } from './lab-load.cache';

describe(LabLoadCache.name, () => {
  let labsDir: string;
  let cacheDir: string;
  let file: string;
  beforeEach(() => {
    labsDir = makeLabsDir();
    cacheDir = mkdtempSync(join(tmpdir(), 'netlab-lab-cache-'));
    file = join(cacheDir, 'cache', 'lab-catalog.json');
  });
  afterEach(() => {
    rmSync(labsDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  /** Loads every folder through a fresh cache on `file` (a new server start), then saves. */
  function start(): { sut: LabLoadCache; hits: number; misses: number; results: unknown[] } {
    const sut = new LabLoadCache(file);
    const results = listLabDirs(labsDir).map((dir) => sut.load(dir));
    const { hits, misses } = sut;
    sut.save();
    return { sut, hits, misses, results };
  }

  it('should give what loadLab gives, from the file, when a later start finds the folders unchanged', () => {
    cpSync(join(CATALOG_DIR, 'svc-selector-mismatch'), join(labsDir, 'svc-selector-mismatch'), {
      recursive: true,
    });
    expect(start()).toMatchObject({ hits: 0, misses: 3 });

    const later = start();

    expect(later).toMatchObject({ hits: 2, misses: 1 }); // the broken lab is never kept
    expect(later.results).toEqual(listLabDirs(labsDir).map((dir) => loadLab(dir)));
  });

  it('should load a lab again when one of its files changes, even to the same size', () => {
    start();
    const step = join(labsDir, VALID_LAB, 'steps', readStepName());
    const text = readFileSync(step, 'utf8');
    writeFileSync(
      step,
      text.replace(/[a-z]/, (c) => (c === 'x' ? 'y' : 'x')),
    );

    const later = start();

    expect(later).toMatchObject({ hits: 0, misses: 2 });
    const lab = later.results.find((r) => (r as { ok: boolean }).ok) as ReturnType<typeof loadLab>;
    expect(lab).toEqual(loadLab(join(labsDir, VALID_LAB)));
  });

  it('should load every lab when the cache file is corrupt', () => {
    start();
    writeFileSync(file, '{"version": 1, "loader": "trunc');

    expect(start()).toMatchObject({ hits: 0, misses: 2 });
    expect(start()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('should drop a lab whose folder is gone from the file', () => {
    start();
    rmSync(join(labsDir, VALID_LAB), { recursive: true });
    start();

    expect(JSON.parse(readFileSync(file, 'utf8')).labs).toEqual({});
  });

  it('should load and write nothing when it has no file', () => {
    const sut = new LabLoadCache(undefined);

    expect(sut.load(join(labsDir, VALID_LAB))).toEqual(loadLab(join(labsDir, VALID_LAB)));
    sut.save();
    expect(existsSync(join(cacheDir, 'cache'))).toBe(false);
  });

  function readStepName(): string {
    const lab = loadLab(join(labsDir, VALID_LAB));
    if (!lab.ok) throw new Error('the fixture lab is valid');
    return lab.lab.steps[0]!.file.replace(/^steps\//, '');
  }
});
