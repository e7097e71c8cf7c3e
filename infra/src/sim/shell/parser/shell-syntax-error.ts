/** A syntax error, worded as busybox ash words it; `incomplete` asks an interactive shell for more lines. */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly incomplete: boolean,
  ) {
    super(message);
    this.name = 'ShellSyntaxError';
  }

  /** An open quote at the end of the input. */
  static unterminatedQuote(): ShellSyntaxError {
    return new ShellSyntaxError('syntax error: unterminated quoted string', true);
  }

  /** The input stops where more must follow (`a &&`, `while true; do`). */
  static incomplete(expecting?: string): ShellSyntaxError {
    const tail = expecting ? ` (expecting "${expecting}")` : '';
    return new ShellSyntaxError(`syntax error: unexpected end of file${tail}`, true);
  }

  /** A token where it cannot be. */
  static unexpected(token: string): ShellSyntaxError {
    return new ShellSyntaxError(
      `syntax error: unexpected ${token === '\n' ? 'newline' : `"${token}"`}`,
      false,
    );
  }
}
