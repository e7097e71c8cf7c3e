import { readFileSync } from 'node:fs';
import { ReachInputError } from './reach-args';

/** Reads a file, or stdin for `-`; a missing or unreadable file is bad input (exit 2), not a crash. */
export function readInput(path: string, flag: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new ReachInputError(`${flag} ${path}: cannot read it (${why})`);
  }
}
