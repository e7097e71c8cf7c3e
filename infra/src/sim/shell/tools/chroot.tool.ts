import { resolvePath } from '../shell-filesystem';
import { isShell, lookupCommand } from '../program-table';
import type { Tool } from '../tool-context';

/**
 * chroot NEWROOT [COMMAND [ARG]...]: runs COMMAND (default `/bin/sh -i`) with NEWROOT as `/`. The
 * sim knows the roots the container mounted (the node's `/` at `/host` in `kubectl debug node/…`);
 * any other directory has no shell in it.
 */
export const chrootTool: Tool = async (ctx) => {
  const [dir, ...command] = ctx.args;
  if (dir === undefined) {
    ctx.stderr("chroot: missing operand\nTry 'chroot --help' for more information.\n");
    return 125;
  }
  const path = resolvePath(ctx.cwd, dir).replace(/(.)\/+$/, '$1');
  const root = ctx.host.chroots?.[path];
  if (!root) {
    if (!ctx.fs.isDir(path)) {
      ctx.stderr(`chroot: cannot change root directory to '${dir}': No such file or directory\n`);
      return 125;
    }
    ctx.stderr(`chroot: failed to run command '${command[0] ?? '/bin/sh'}': No such file or directory\n`);
    return 127;
  }
  const host = root();
  const argv = command.length > 0 ? command : ['/bin/sh', '-i'];
  const name = argv[0]!;
  if (!(isShell(name) ? true : lookupCommand(name, host.programs))) {
    ctx.stderr(`chroot: failed to run command '${name}': No such file or directory\n`);
    return 127;
  }
  if (!ctx.runIn) {
    ctx.stderr('chroot: cannot run a command in another root here\n');
    return 125;
  }
  return ctx.runIn(host, argv);
};
