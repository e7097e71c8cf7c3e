import { isBuiltin } from '../shell-builtins';
import { isAshBuiltinProgram, knownPrograms } from '../program-table';
import { resolvePath, type ShellFileSystem } from '../shell-filesystem';

/** What Tab can complete at the cursor: the word's start, and the full words that fit. */
export interface Completion {
  start: number;
  candidates: string[];
}

/** Completes the word before the cursor. */
export type Completer = (before: string) => Completion;

const BUILTINS = ['cd', 'pwd', 'exit', 'export', 'unset', 'command', 'type', 'break', 'continue'];

/**
 * busybox-style completion: a command name in command position (builtins and the programs the
 * image has), otherwise a path in the container's tiny filesystem (directories end with `/`).
 */
export function shellCompleter(fs: ShellFileSystem, cwd: () => string, programs?: string[]): Completer {
  return (before) => {
    const start = before.search(/\S*$/);
    const word = before.slice(start);
    const commandPosition = /(^|[|;&(]|&&|\|\|)\s*$/.test(before.slice(0, start));
    if (commandPosition && !word.includes('/')) {
      const names = [
        ...BUILTINS.filter(isBuiltin),
        ...knownPrograms().filter((p) => !programs || programs.includes(p) || isAshBuiltinProgram(p)),
      ];
      return { start, candidates: [...new Set(names)].filter((n) => n.startsWith(word)).sort() };
    }
    const slash = word.lastIndexOf('/');
    const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
    const prefix = word.slice(slash + 1);
    const listed = fs.isDir(resolvePath(cwd(), dir || '.')) ? fs.list(resolvePath(cwd(), dir || '.')) : [];
    const candidates = listed
      .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => `${dir}${e.name}${e.dir ? '/' : ''}`);
    return { start, candidates };
  };
}
