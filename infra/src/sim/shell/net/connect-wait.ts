import type { ReachResult } from '@netlab/grader/netmodel';
import type { ToolContext } from '../tool-context';

/**
 * How long Linux keeps retrying a SYN nobody answers (tcp_syn_retries=6) before connect() fails
 * with ETIMEDOUT: what a client without its own timeout waits on a NetworkPolicy drop.
 */
export const KERNEL_CONNECT_TIMEOUT_MS = 133_000;

/** How long ARP takes to give up on an address nobody holds, before EHOSTUNREACH. */
export const HOST_UNREACHABLE_MS = 3_000;

/** What a client's connect() ends in, once the wait the verdict implies is over. */
export type ConnectOutcome =
  | { kind: 'connected' }
  /** ECONNREFUSED: an RST came back at once. */
  | { kind: 'refused' }
  /** EHOSTUNREACH: nobody holds that address. */
  | { kind: 'unreachable' }
  /** The client's own timeout fired first. */
  | { kind: 'client-timeout' }
  /** ETIMEDOUT from the kernel's SYN retries. */
  | { kind: 'kernel-timeout' }
  /** Ctrl-C (or the exec client left) while waiting. */
  | { kind: 'interrupted' };

/** glibc's strerror for the errno each outcome carries. */
export const ERRNO_TEXT = {
  refused: 'Connection refused',
  unreachable: 'No route to host',
  'kernel-timeout': 'Connection timed out',
} as const;

/**
 * Waits as long as the verdict makes a real client wait: a drop ("blocked") hangs until the
 * client's timeout or the kernel gives up; an address nobody holds fails after ARP gives up.
 * `timeoutMs` is the client's connect timeout, if it has one.
 */
export async function awaitConnect(
  reach: ReachResult,
  ctx: ToolContext,
  timeoutMs?: number,
): Promise<ConnectOutcome> {
  switch (reach.verdict) {
    case 'connected':
      return { kind: 'connected' };
    case 'refused':
    case 'nxdomain':
      return { kind: 'refused' };
    case 'unreachable':
      return wait(ctx, HOST_UNREACHABLE_MS, timeoutMs, { kind: 'unreachable' });
    case 'blocked':
      return wait(ctx, KERNEL_CONNECT_TIMEOUT_MS, timeoutMs, { kind: 'kernel-timeout' });
  }
}

async function wait(
  ctx: ToolContext,
  failAfter: number,
  timeoutMs: number | undefined,
  failure: ConnectOutcome,
): Promise<ConnectOutcome> {
  const clientFirst = timeoutMs !== undefined && timeoutMs < failAfter;
  const completed = await ctx.clock.sleep(clientFirst ? timeoutMs : failAfter, ctx.signal);
  if (!completed) return { kind: 'interrupted' };
  return clientFirst ? { kind: 'client-timeout' } : failure;
}
