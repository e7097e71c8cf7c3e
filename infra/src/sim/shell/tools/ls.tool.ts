import { resolvePath } from '../shell-filesystem';
import type { Tool } from '../tool-context';

/** busybox ls of the tiny filesystem: names, `-l`, `-a`, `-1`. */
export const lsTool: Tool = async (ctx) => {
  const flags = new Set(ctx.args.filter((a) => a.startsWith('-')).flatMap((a) => [...a.slice(1)]));
  const targets = ctx.args.filter((a) => !a.startsWith('-'));
  if (targets.length === 0) targets.push('.');
  let status = 0;
  const blocks: string[] = [];
  for (const t of targets) {
    const path = resolvePath(ctx.cwd, t);
    if (!ctx.fs.exists(path)) {
      ctx.stderr(`ls: ${t}: No such file or directory\n`);
      status = 1;
      continue;
    }
    const entries = ctx.fs.isDir(path)
      ? ctx.fs.list(path)
      : [{ name: t, dir: false, size: Buffer.byteLength(ctx.fs.read(path) ?? '') }];
    const shown = flags.has('a')
      ? [{ name: '.', dir: true, size: 4096 }, { name: '..', dir: true, size: 4096 }, ...entries]
      : entries;
    let block = targets.length > 1 && ctx.fs.isDir(path) ? `${t}:\n` : '';
    if (flags.has('l')) {
      block += shown
        .map(
          (e) =>
            `${e.dir ? 'drwxr-xr-x' : '-rw-r--r--'}    ${e.dir ? 2 : 1} root     root     ${String(e.size).padStart(8)} Jan  1 00:00 ${e.name}\n`,
        )
        .join('');
    } else if (flags.has('1') || !ctx.stdoutIsTerminal) {
      block += shown.map((e) => `${e.name}\n`).join('');
    } else if (shown.length > 0) {
      block += `${shown.map((e) => e.name).join('  ')}\n`;
    }
    blocks.push(block);
  }
  ctx.stdout(blocks.join('\n'));
  return status;
};
