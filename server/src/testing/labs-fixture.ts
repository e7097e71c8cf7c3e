import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR } from '@netlab/labs';

/** The valid lab every fixture catalog has (copied from the shipped catalog). */
export const VALID_LAB = 'example-hello';
/** A folder with a lab.yaml that fails validation. */
export const BROKEN_LAB = 'broken-lab';

/** A throwaway catalog: one valid lab and one broken one. */
export function makeLabsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-labs-'));
  cpSync(join(CATALOG_DIR, VALID_LAB), join(dir, VALID_LAB), { recursive: true });
  mkdirSync(join(dir, BROKEN_LAB));
  writeFileSync(join(dir, BROKEN_LAB, 'lab.yaml'), 'id: broken-lab\ntitle: Broken\ndifficulty: impossible\n');
  return dir;
}
