import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CATALOG_DIR, listLabDirs } from '@netlab/labs';
import { UsageError } from './provider-choice';

/** Lab ids (folders in the catalog) or paths to lab folders. */
export function resolveLabs(labs: string[]): string[] {
  if (!labs.length) return listLabDirs();
  return labs.map((lab) => {
    for (const dir of [resolve(lab), resolve(CATALOG_DIR, lab)]) {
      if (existsSync(`${dir}/lab.yaml`)) return dir;
    }
    const known = listLabDirs()
      .map((d) => basename(d))
      .join(', ');
    throw new UsageError(
      `no lab "${lab}": give a lab id from the catalog (${known}) or a folder holding a lab.yaml`,
    );
  });
}
