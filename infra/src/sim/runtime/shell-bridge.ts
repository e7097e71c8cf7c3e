import type { RunShellOptions } from '../shell/run-shell';
import type { ShellHost } from '../shell/shell-host';
import type { ProcessIO } from './container-runtime';

/**
 * Runs the emulated busybox shell (infra/src/sim/shell) for an exec, attach or exec probe. Loaded
 * on first use so the controllers and kubelets do not pay for the shell's tools until someone
 * execs into a container.
 */
export async function runEmulatedShell(
  host: ShellHost,
  command: string[] | undefined,
  io: ProcessIO,
  options?: RunShellOptions,
): Promise<number> {
  const { runShell } = await import('../shell');
  return runShell(host, command, io, options);
}
