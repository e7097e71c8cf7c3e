import type { LoadedLab } from '@netlab/labs';
import type { AppConfig } from '../config/app-config';

/** How long an attempt of a lab may live and sit idle, in minutes. */
export interface AttemptLimits {
  ttlMinutes: number;
  idleMinutes: number;
}

/** The lab's own `ttlMinutes` / `idleMinutes` where it sets them, else the server's defaults. */
export function limitsOf(lab: LoadedLab, config: Pick<AppConfig, 'attempts'>): AttemptLimits {
  return {
    ttlMinutes: lab.definition.ttlMinutes ?? config.attempts.defaultTtlMinutes,
    idleMinutes: lab.definition.idleMinutes ?? config.attempts.defaultIdleMinutes,
  };
}
