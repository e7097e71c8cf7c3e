import { isAshBuiltinProgram, lookupProgram } from './program-table';
import { resolvePath } from './shell-filesystem';
import { LoopControl, ShellExit, type ShellSessionState } from './shell-session-state';
import type { OutputSink } from './tool-context';

/** What a builtin writes to. */
interface BuiltinIO {
  stdout: OutputSink;
  stderr: OutputSink;
}

type Builtin = (args: string[], state: ShellSessionState, io: BuiltinIO) => number | Promise<number>;

const BUILTINS: Record<string, Builtin> = {
  cd(args, state, io) {
    const target =
      args[0] === undefined
        ? (state.vars.get('HOME') ?? '/')
        : args[0] === '-'
          ? (state.vars.get('OLDPWD') ?? state.cwd)
          : args[0];
    const path = resolvePath(state.cwd, target);
    if (!state.fs.isDir(path)) {
      const why = state.fs.exists(path) ? 'Not a directory' : 'No such file or directory';
      const { flavour } = state.shell;
      // dash says no more than "can't cd to"; bash words it as a failed call and returns 1.
      if (flavour === 'bash') {
        io.stderr(`${state.errorPrefix()}cd: ${target}: ${why}\n`);
        return 1;
      }
      io.stderr(`${state.errorPrefix()}cd: can't cd to ${target}${flavour === 'dash' ? '' : `: ${why}`}\n`);
      return 2;
    }
    state.vars.set('OLDPWD', state.cwd);
    state.cwd = path;
    state.vars.set('PWD', path);
    if (args[0] === '-') io.stdout(`${path}\n`);
    return 0;
  },
  pwd(_args, state, io) {
    io.stdout(`${state.cwd}\n`);
    return 0;
  },
  exit(args, state, io) {
    if (args[0] !== undefined && !/^\d+$/.test(args[0])) {
      if (state.shell.flavour === 'bash') {
        // bash complains and exits anyway, with status 2.
        io.stderr(`${state.errorPrefix()}exit: ${args[0]}: numeric argument required\n`);
        throw new ShellExit(2);
      }
      io.stderr(`${state.errorPrefix()}exit: Illegal number: ${args[0]}\n`);
      return 2;
    }
    throw new ShellExit(args[0] === undefined ? state.status : Number(args[0]) & 255);
  },
  export(args, state, io) {
    if (args.length === 0 || args[0] === '-p') {
      for (const [k, v] of Object.entries(state.environment()))
        io.stdout(`export ${k}='${v.replace(/'/g, "'\\''")}'\n`);
      return 0;
    }
    for (const arg of args) {
      const eq = arg.indexOf('=');
      if (eq < 0) state.export(arg);
      else state.export(arg.slice(0, eq), arg.slice(eq + 1));
    }
    return 0;
  },
  unset(args, state) {
    for (const name of args) {
      state.vars.delete(name);
      state.exported.delete(name);
    }
    return 0;
  },
  ':': () => 0,
  break: (args) => {
    throw new LoopControl('break', Math.max(1, Number(args[0] ?? 1) || 1));
  },
  continue: (args) => {
    throw new LoopControl('continue', Math.max(1, Number(args[0] ?? 1) || 1));
  },
  command(args, state, io) {
    if (args[0] !== '-v' && args[0] !== '-V') return 0;
    let status = 0;
    for (const name of args.slice(1)) {
      if (isBuiltin(name)) io.stdout(args[0] === '-v' ? `${name}\n` : `${name} is a shell builtin\n`);
      else {
        const program = lookupProgram(name, state.host.programs);
        if (program) io.stdout(args[0] === '-v' ? `${program.path}\n` : `${name} is ${program.path}\n`);
        else status = 127;
      }
    }
    return status;
  },
  type(args, state, io) {
    let status = 0;
    for (const name of args) {
      const program = lookupProgram(name, state.host.programs);
      if (isBuiltin(name) || isAshBuiltinProgram(name)) io.stdout(`${name} is a shell builtin\n`);
      else if (program) io.stdout(`${name} is ${program.path}\n`);
      else {
        io.stdout(`${name}: not found\n`);
        status = 127;
      }
    }
    return status;
  },
};

/** Whether `name` is run by the shell itself rather than as a program. */
export function isBuiltin(name: string): boolean {
  return Object.hasOwn(BUILTINS, name);
}

/** Runs the builtin `name`; `exit` throws {@link ShellExit}. */
export function runBuiltin(
  name: string,
  args: string[],
  state: ShellSessionState,
  io: BuiltinIO,
): Promise<number> {
  return Promise.resolve(BUILTINS[name]!(args, state, io));
}
