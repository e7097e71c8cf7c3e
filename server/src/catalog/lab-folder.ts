import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** A lab folder's files, relative path → UTF-8 text. */
export type LabFolderFiles = Record<string, string>;

/** Files bigger than this are not part of a lab (labs are YAML and Markdown). */
const MAX_FILE_BYTES = 1024 * 1024;

/** Every regular file under a lab folder (dot-files skipped), with `/` separators, sorted by path. */
export function readLabFolder(dir: string): LabFolderFiles {
  const files: LabFolderFiles = {};
  const walk = (at: string) => {
    for (const e of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const path = join(at, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && statSync(path).size <= MAX_FILE_BYTES) {
        files[relative(dir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
      }
    }
  };
  walk(dir);
  return files;
}

/** SHA-256 (hex) over every file's path and content, in path order. */
export function contentHashOf(files: LabFolderFiles): string {
  const hash = createHash('sha256');
  for (const path of Object.keys(files).sort()) {
    hash.update(path).update('\0').update(files[path]!).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Writes a lab version's files once into `${root}/${contentHash}` (files read-only; folders stay
 * writable so `rm -rf` of the data dir works) and returns the folder. Written under a temporary name and renamed, so a crash never leaves a half-written version.
 */
export function materializeLabFolder(root: string, contentHash: string, files: LabFolderFiles): string {
  if (!/^[0-9a-f]{64}$/.test(contentHash)) throw new Error(`not a content hash: ${contentHash}`);
  const target = join(root, contentHash);
  if (existsSync(target)) return target;
  const temp = join(root, `.tmp-${contentHash.slice(0, 12)}-${randomBytes(4).toString('hex')}`);
  for (const [path, text] of Object.entries(files)) {
    if (path.split('/').some((part) => part === '..' || part === '') || path.startsWith('/')) {
      throw new Error(`lab version ${contentHash} has an unsafe file path: ${path}`);
    }
    const file = join(temp, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: 0o444 });
  }
  mkdirSync(temp, { recursive: true });
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}
