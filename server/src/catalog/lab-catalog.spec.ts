import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testAppConfig } from '../auth/testing/auth-testing.module';
import { BROKEN_LAB, makeLabsDir, VALID_LAB } from '../testing/labs-fixture';
import { CatalogService } from './catalog.service';
import { LabCatalog } from './lab-catalog';
import { noProgress } from './learner-progress';

const learner = { id: 'u1', email: 'l@example.com', displayName: 'L', role: 'learner' as const };
const instructor = { ...learner, id: 'u2', role: 'instructor' as const };

describe(LabCatalog.name, () => {
  let labsDir: string;
  let sut: LabCatalog | undefined;
  afterEach(() => {
    sut?.onModuleDestroy();
    rmSync(labsDir, { recursive: true, force: true });
  });

  function start(): LabCatalog {
    labsDir = makeLabsDir();
    sut = new LabCatalog(testAppConfig({ labsDir }));
    sut.onModuleInit();
    return sut;
  }
  const nextReload = (catalog: LabCatalog) =>
    new Promise<void>((resolve) => {
      const off = catalog.onReload(() => {
        off();
        resolve();
      });
    });

  it('should list valid and invalid labs, sorted by slug, the invalid one with its problems', () => {
    const catalog = start();
    expect(catalog.list().map((l) => [l.slug, l.valid])).toEqual([
      [BROKEN_LAB, false],
      [VALID_LAB, true],
    ]);
    expect(catalog.list()[0]!.problems).toContain(
      'broken-lab/lab.yaml:3 difficulty: "impossible" is not one of beginner|intermediate|advanced',
    );
  });

  it('should reload when a file of a lab changes', async () => {
    const catalog = start();
    const file = join(labsDir, VALID_LAB, 'lab.yaml');
    const reloaded = nextReload(catalog);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Renamed while running'));
    await reloaded;
    expect(catalog.detail(VALID_LAB)?.title).toBe('Renamed while running');
  }, 30_000);

  it('should list a lab as invalid once an edit breaks it', async () => {
    const catalog = start();
    const reloaded = nextReload(catalog);
    rmSync(join(labsDir, VALID_LAB, 'debrief.md'));
    await reloaded;
    expect(catalog.detail(VALID_LAB)).toMatchObject({ valid: false, steps: [], checks: [] });
    // The line is where `debrief:` stands in the lab's lab.yaml, whatever else the lab gains.
    const line =
      readFileSync(join(labsDir, VALID_LAB, 'lab.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.trimStart().startsWith('file: debrief.md')) + 1;
    expect(catalog.list().find((l) => l.slug === VALID_LAB)?.problems).toEqual([
      `example-hello/lab.yaml:${line} debrief.file: file "debrief.md" does not exist in the lab folder`,
    ]);
  }, 30_000);
});

describe(CatalogService.name, () => {
  const labsDir = makeLabsDir();
  const catalog = new LabCatalog(testAppConfig({ labsDir }));
  catalog.reload();
  const sut = new CatalogService(catalog, noProgress);

  it('should hide invalid labs from learners and show them to instructors', async () => {
    expect((await sut.list(learner)).map((l) => l.slug)).toEqual([VALID_LAB]);
    expect((await sut.list(instructor)).map((l) => l.slug)).toEqual([BROKEN_LAB, VALID_LAB]);
  });

  it("should say a learner's progress is none when no attempts module tells otherwise", async () => {
    const [lab] = await sut.list(learner);
    expect(lab!.my).toEqual({ status: 'none', bestScore: null, activeAttemptId: null });
  });

  it('should answer LAB_NOT_FOUND to a learner asking for an invalid lab', async () => {
    await expect(sut.detail(learner, BROKEN_LAB)).rejects.toMatchObject({ code: 'LAB_NOT_FOUND' });
    await expect(sut.detail(instructor, BROKEN_LAB)).resolves.toMatchObject({ valid: false });
  });
});
