import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { testAppConfig } from '../auth/testing/auth-testing.module';
import { describeDatabases } from '../database/testing/test-databases';
import { BROKEN_LAB, makeLabsDir, VALID_LAB } from '../testing/labs-fixture';
import { LabCatalog } from './lab-catalog';
import { LabVersionRepository } from './lab-version.repository';
import { LabVersionsService } from './lab-versions.service';

describeDatabases(LabVersionsService.name, (t) => {
  const dirs: string[] = [];
  let labsDir: string;
  let dataDir: string;
  let catalog: LabCatalog;
  const make = () =>
    new LabVersionsService(testAppConfig({ labsDir, dataDir }), catalog, new LabVersionRepository(t.db));

  beforeEach(async () => {
    await t.truncateAll();
    labsDir = makeLabsDir();
    dataDir = mkdtempSync(join(tmpdir(), 'netlab-versions-'));
    dirs.push(labsDir, dataDir);
    catalog = new LabCatalog(testAppConfig({ labsDir }));
    catalog.reload();
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('should pin the same content once and a changed lab as a new version', async () => {
    const sut = make();
    const first = await sut.pin(VALID_LAB);
    expect(first).toEqual({
      labVersionId: expect.any(String),
      slug: VALID_LAB,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      title: expect.any(String),
    });
    expect((await sut.pin(VALID_LAB)).labVersionId).toBe(first.labVersionId);
    const step = join(labsDir, VALID_LAB, 'steps', '01-look-around.md');
    writeFileSync(step, `${readFileSync(step, 'utf8')}\nOne more line.\n`);
    const second = await sut.pin(VALID_LAB);
    expect(second.labVersionId).not.toBe(first.labVersionId);
    expect(second.contentHash).not.toBe(first.contentHash);
  });

  it('should render a pinned version with a seed after the catalog folder is gone', async () => {
    const pinned = await make().pin(VALID_LAB);
    rmSync(join(labsDir, VALID_LAB), { recursive: true });
    // A new service (as after a restart): the version comes back from the database.
    const lab = await make().load(pinned.labVersionId, 'seed-1');
    expect(lab.seed).toBe('seed-1');
    expect(lab.definition.id).toBe(VALID_LAB);
    expect(lab.dir).toBe(join(dataDir, 'lab-versions', pinned.contentHash));
    // Read-only by mode (root ignores modes, so check the bits rather than try a write).
    expect(statSync(join(lab.dir, 'lab.yaml')).mode & 0o222).toBe(0);
  });

  it('should refuse an unknown slug, an invalid lab and an unknown version by code', async () => {
    const sut = make();
    await expect(sut.pin('no-such-lab')).rejects.toMatchObject({ code: 'LAB_NOT_FOUND' });
    await expect(sut.pin(BROKEN_LAB)).rejects.toMatchObject({
      code: 'LAB_INVALID',
      details: { problems: expect.arrayContaining([expect.stringContaining('lab.yaml:3 difficulty')]) },
    });
    await expect(sut.load('00000000-0000-4000-8000-000000000000', 's')).rejects.toMatchObject({
      code: 'LAB_VERSION_NOT_FOUND',
    });
  });
});
