import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The catalog shipped in this repository: `labs/catalog/`. */
export const CATALOG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../catalog');

/** Every lab folder (one holding a lab.yaml) in a catalog, sorted by name. */
export function listLabDirs(catalogDir: string = CATALOG_DIR): string[] {
  if (!existsSync(catalogDir)) return [];
  return readdirSync(catalogDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(catalogDir, e.name, 'lab.yaml')))
    .map((e) => join(catalogDir, e.name))
    .sort();
}
