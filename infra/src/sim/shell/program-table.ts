import type { Tool } from './tool-context';
import {
  catTool,
  clearTool,
  dateTool,
  echoTool,
  envTool,
  falseTool,
  hostnameTool,
  idTool,
  mkdirTool,
  touchTool,
  printfTool,
  psTool,
  seqTool,
  sleepTool,
  trueTool,
  unameTool,
} from './tools/basic.tools';
import { curlTool } from './tools/curl.tool';
import { digTool } from './tools/dig.tool';
import { ipTool } from './tools/ip.tool';
import { lsTool } from './tools/ls.tool';
import { ncTool } from './tools/nc.tool';
import { netstatTool } from './tools/netstat.tool';
import { nslookupTool } from './tools/nslookup.tool';
import { pingTool } from './tools/ping.tool';
import { ssTool } from './tools/ss.tool';
import { getentTool, hostTool } from './tools/host.tool';
import { testTool } from './tools/test.tool';
import { timeoutTool } from './tools/timeout.tool';
import { tracerouteTool } from './tools/traceroute.tool';
import { grepTool, headTool, tailTool, wcTool } from './tools/text-filters.tool';
import { wgetTool } from './tools/wget.tool';
import { httpdTool, pythonTool } from './tools/server.tools';
import { conntrackTool, iptablesSaveTool, iptablesTool } from './tools/netfilter.tools';
import { crictlTool } from './tools/crictl.tool';
import { chrootTool } from './tools/chroot.tool';

/** A program installed in the container, and where. */
export interface Program {
  name: string;
  /** Absolute path, as `which` prints it. */
  path: string;
  tool: Tool;
}

/** The shell itself; run-shell handles it, the table only records where it lives. */
export const SHELL_NAMES = ['sh', 'ash', 'bash', 'dash', 'zsh'];

const TOOLS: [name: string, dir: string, tool: Tool][] = [
  ['curl', '/usr/bin', curlTool],
  ['wget', '/bin', wgetTool],
  ['nc', '/bin', ncTool],
  ['nslookup', '/bin', nslookupTool],
  ['dig', '/usr/bin', digTool],
  ['host', '/usr/bin', hostTool],
  ['getent', '/usr/bin', getentTool],
  ['ping', '/bin', pingTool],
  ['ip', '/bin', ipTool],
  ['ss', '/usr/bin', ssTool],
  ['netstat', '/bin', netstatTool],
  ['traceroute', '/usr/bin', tracerouteTool],
  ['echo', '/bin', echoTool],
  ['printf', '/usr/bin', printfTool],
  ['true', '/bin', trueTool],
  ['false', '/bin', falseTool],
  ['cat', '/bin', catTool],
  ['env', '/usr/bin', envTool],
  ['printenv', '/usr/bin', envTool],
  ['hostname', '/bin', hostnameTool],
  ['ps', '/bin', psTool],
  ['id', '/usr/bin', idTool],
  ['whoami', '/usr/bin', idTool],
  ['uname', '/bin', unameTool],
  ['ls', '/bin', lsTool],
  ['mkdir', '/bin', mkdirTool],
  ['touch', '/bin', touchTool],
  ['sleep', '/bin', sleepTool],
  ['date', '/bin', dateTool],
  ['clear', '/usr/bin', clearTool],
  ['grep', '/bin', grepTool],
  ['head', '/usr/bin', headTool],
  ['tail', '/usr/bin', tailTool],
  ['wc', '/usr/bin', wcTool],
  ['test', '/usr/bin', testTool],
  ['[', '/usr/bin', testTool],
  ['seq', '/usr/bin', seqTool],
  ['timeout', '/usr/bin', timeoutTool],
  ['which', '/usr/bin', whichTool],
  ['httpd', '/usr/sbin', httpdTool],
  ['python3', '/usr/local/bin', pythonTool],
  ['python', '/usr/local/bin', pythonTool],
  ['iptables', '/usr/sbin', iptablesTool],
  ['ip6tables', '/usr/sbin', iptablesTool],
  ['iptables-save', '/usr/sbin', iptablesSaveTool],
  ['ip6tables-save', '/usr/sbin', iptablesSaveTool],
  ['conntrack', '/usr/sbin', conntrackTool],
  ['crictl', '/usr/local/bin', crictlTool],
  ['chroot', '/usr/sbin', chrootTool],
  // The interpreter runs `watch` (it repeats a command line); the entry says where it is installed.
  ['watch', '/usr/bin', () => Promise.resolve(1)],
];

const PROGRAMS = new Map<string, Program>(
  TOOLS.map(([name, dir, tool]) => [name, { name, path: `${dir}/${name}`, tool }]),
);

/** Programs only images that list them have (Debian's bash, Python); busybox-like hosts lack them. */
const OPT_IN = new Set([
  'bash',
  'dash',
  'zsh',
  'python3',
  'python',
  'iptables',
  'ip6tables',
  'iptables-save',
  'ip6tables-save',
  'conntrack',
  'crictl',
]);

/** Whether the container has the program `base` (a name without directory). */
export function isInstalled(base: string, available?: string[]): boolean {
  return available ? available.includes(base) : !OPT_IN.has(base);
}

/** Directories of $PATH where the sim accepts any installed program (busybox symlinks live in several). */
const BIN_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

/** Commands ash runs itself, so they exist in every image that has the shell. */
const ASH_BUILTIN_PROGRAMS = new Set(['echo', 'printf', 'test', '[', 'true', 'false']);

/** Finds what a command name runs inside `sh`: ash's own builtins first, then the image's programs. */
export function lookupCommand(name: string, available?: string[]): Program | undefined {
  if (ASH_BUILTIN_PROGRAMS.has(name)) return PROGRAMS.get(name);
  return lookupProgram(name, available);
}

/** Whether ash runs `name` itself (for `type`). */
export function isAshBuiltinProgram(name: string): boolean {
  return ASH_BUILTIN_PROGRAMS.has(name);
}

/**
 * Finds a program by name (`curl`) or path (`/usr/bin/curl`, `/bin/curl`), honouring the image's
 * list of programs when the host gives one. Undefined when the container has no such file.
 */
export function lookupProgram(name: string, available?: string[]): Program | undefined {
  let base = name;
  if (name.includes('/')) {
    const slash = name.lastIndexOf('/');
    if (!BIN_DIRS.has(name.slice(0, slash) || '/')) return undefined;
    base = name.slice(slash + 1);
  }
  const program = PROGRAMS.get(base);
  if (!program || !isInstalled(base, available)) return undefined;
  return program;
}

/** busybox which: the path of each program, status 1 when one is missing. */
function whichTool(ctx: Parameters<Tool>[0]): Promise<number> {
  let status = 0;
  for (const name of ctx.args) {
    const program =
      isShell(name) && isInstalled(name, ctx.host.programs)
        ? { path: `/bin/${name}` }
        : lookupProgram(name, ctx.host.programs);
    if (program) ctx.stdout(`${program.path}\n`);
    else status = 1;
  }
  return Promise.resolve(status);
}

/** Whether `name` (or path) is the shell. */
export function isShell(name: string): boolean {
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  return SHELL_NAMES.includes(base) && (slash < 0 || BIN_DIRS.has(name.slice(0, slash) || '/'));
}

/** Every program name the sim can run (the `programs` a host may list). */
export function knownPrograms(): string[] {
  return [...SHELL_NAMES, ...PROGRAMS.keys()];
}
