/** Codes for every way a lab definition can be unusable. */
export enum LabErrorCode {
  LAB_NOT_FOUND = 'LAB_NOT_FOUND',
  INVALID_LAB = 'INVALID_LAB',
  INVALID_SEED = 'INVALID_SEED',
}

/** One thing wrong with a lab: where it is, what was found and what was expected. */
export interface LabProblem {
  /** Path of the file, relative to the current directory when possible. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** Path inside the document, e.g. `checks[2].type`; empty for the whole file. */
  path: string;
  /** What is wrong, in words, including the bad value and what was expected. */
  message: string;
}

/** Formats a problem as `file:line path: message`, the shape editors and terminals link. */
export function formatProblem(p: LabProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Raised when a lab cannot be loaded; carries every problem found, not just the first. */
export class LabDefinitionError extends Error {
  constructor(
    readonly code: LabErrorCode,
    readonly problems: LabProblem[],
  ) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'LabDefinitionError';
  }
}
