/**
 * Bounds on what one emulated shell may hold, so a learner's `x=$x$x` loop, `yes | …` or a pasted
 * megabyte hits a wall instead of the host's memory: longer strings are cut at the limit, as a pipe or
 * a full disk would stop them.
 */
export const SHELL_LIMITS = {
  /** Characters of one variable, one expanded word, one captured `$(…)` or pipeline stage, one file. */
  string: 1024 * 1024,
  /** Variables in one shell (assignments past it are dropped). */
  variables: 4096,
  /** Files one shell session may create. */
  files: 4096,
  /** Characters on the interactive command line. */
  line: 64 * 1024,
};

/** `text` cut to the string limit. */
export function capString(text: string): string {
  return text.length > SHELL_LIMITS.string ? text.slice(0, SHELL_LIMITS.string) : text;
}

/** `acc + text`, never past the string limit (what a capture appends). */
export function appendCapped(acc: string, text: string): string {
  if (acc.length >= SHELL_LIMITS.string) return acc;
  return capString(acc + text);
}

/** A shell's variables: each value capped, and no more than the variable limit of names. */
export class CappedVariables extends Map<string, string> {
  override set(name: string, value: string): this {
    if (!this.has(name) && this.size >= SHELL_LIMITS.variables) return this;
    return super.set(name, capString(value));
  }
}
