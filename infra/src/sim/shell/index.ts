// The emulated busybox shell of the sim's app containers: what `kubectl exec` into them runs.
export { runShell, type RunShellOptions } from './run-shell';
export { realClock, VirtualClock, type ShellClock } from './shell-clock';
export { knownPrograms } from './program-table';
export type { HttpOutcome, HttpRequest, IcmpVerdict, NetInterface, ShellHost } from './shell-host';
