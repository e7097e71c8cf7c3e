import { GraderError, GraderErrorCode } from '../errors';
import type { PodEntry } from './cluster-index';
import type { PathLink, PathStep, Protocol, ReachResult, Verdict } from './types';

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

/** A result that stops at a broken link. */
export function fail(
  links: PathLink[],
  step: PathStep,
  verdict: Verdict,
  detail: string,
  backend?: ReachResult['backend'],
): ReachResult {
  return {
    allowed: false,
    verdict,
    path: [...links, { step, ok: false, detail }],
    reason: detail,
    ...(backend ? { backend } : {}),
  };
}

/** A pod that cannot take part, in words: no IP yet, or terminated. */
export function podState(pod: PodEntry): string {
  const phase = pod.pod.status?.phase ?? 'Pending';
  if (phase === 'Failed' || phase === 'Succeeded') return `Pod ${pod.key} has terminated (phase ${phase})`;
  return `Pod ${pod.key} has no IP (phase ${phase}${pod.nodeName ? `, node ${pod.nodeName}` : ', not scheduled'}; no pod network yet?)`;
}

/** Validates a protocol; throws INVALID_INPUT. */
export function checkProtocol(protocol: string): Protocol {
  if (PROTOCOLS.includes(protocol)) return protocol as Protocol;
  throw new GraderError(GraderErrorCode.INVALID_INPUT, `protocol "${protocol}" is not one of TCP, UDP, SCTP`);
}

/** Validates a port number (1-65535) or a port name; throws INVALID_INPUT. */
export function checkPort(port: number | string): number | string {
  if (typeof port === 'string' && /^\d+$/.test(port)) port = Number(port);
  if (typeof port === 'number') {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `port ${port} is out of range: a port is a whole number from 1 to 65535`,
    );
  }
  if (/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(port) && /[a-z]/.test(port)) return port;
  throw new GraderError(
    GraderErrorCode.INVALID_INPUT,
    `port "${port}" is neither a number (1-65535) nor a port name (lowercase letters, digits, dashes; at most 15)`,
  );
}
