import { relative } from 'node:path';
import type { LabProblem } from '../errors';

/** Collects problems for one lab, naming files relative to the working directory. */
export class ProblemList {
  readonly items: LabProblem[] = [];

  constructor(private readonly labDir: string) {}

  /** Adds a problem in `file` (relative to the lab folder). */
  add(file: string, path: string, message: string, line?: number): void {
    const shown = relative(process.cwd(), `${this.labDir}/${file}`) || file;
    this.items.push(
      line === undefined ? { file: shown, path, message } : { file: shown, line, path, message },
    );
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}
