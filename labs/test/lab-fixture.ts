import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR } from '../src';

/** A throwaway copy of the example lab, to break in one way per test. */
export function copyExampleLab(): {
  dir: string;
  edit: (file: string, change: (text: string) => string) => void;
} {
  const dir = join(mkdtempSync(join(tmpdir(), 'netlab-lab-')), 'lab');
  cpSync(join(CATALOG_DIR, 'example-hello'), dir, { recursive: true });
  return {
    dir,
    edit: (file, change) => writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8'))),
  };
}
