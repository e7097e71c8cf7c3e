/** Why the configuration was refused. */
export enum ConfigErrorCode {
  /** One or more variables are missing or have a bad value. */
  CONFIG_INVALID = 'CONFIG_INVALID',
  /** The secrets file in the data directory cannot be read, parsed or written. */
  SECRETS_UNUSABLE = 'SECRETS_UNUSABLE',
}

/** The configuration cannot start the server; `problems` has one line per bad or missing value. */
export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    readonly problems: readonly string[],
  ) {
    const n = problems.length;
    super(
      `netlab cannot start: ${n === 1 ? 'a setting is' : `${n} settings are`} not usable:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
