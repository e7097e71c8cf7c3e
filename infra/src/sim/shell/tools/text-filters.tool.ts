import type { Tool, ToolContext } from '../tool-context';
import { resolvePath } from '../shell-filesystem';

/** The text a filter reads: its file arguments, or its stdin. */
function input(ctx: ToolContext, files: string[], name: string): { text: string; status: number } {
  if (files.length === 0) return { text: ctx.stdin, status: 0 };
  let text = '';
  let status = 0;
  for (const f of files) {
    const content = f === '-' ? ctx.stdin : ctx.fs.read(resolvePath(ctx.cwd, f));
    if (content === undefined) {
      ctx.stderr(`${name}: ${f}: No such file or directory\n`);
      status = 2;
    } else text += content;
  }
  return { text, status };
}

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** busybox grep: -i -v -c -q -n -E -F -o -w. */
export const grepTool: Tool = async (ctx) => {
  const flags = new Set<string>();
  let pattern: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    if (arg === '-e') pattern = ctx.args[++i];
    else if (arg.startsWith('-') && arg.length > 1 && pattern === undefined && files.length === 0) {
      for (const c of arg.slice(1)) flags.add(c);
    } else if (pattern === undefined) pattern = arg;
    else files.push(arg);
  }
  if (pattern === undefined) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n',
    );
    return 2;
  }
  let source = flags.has('F')
    ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    : toJsRegex(pattern, flags.has('E'));
  if (flags.has('w')) source = `\\b(?:${source})\\b`;
  let re: RegExp;
  try {
    re = new RegExp(source, flags.has('i') ? 'gi' : 'g');
  } catch {
    ctx.stderr(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  const { text, status } = input(ctx, files, 'grep');
  let count = 0;
  let out = '';
  lines(text).forEach((line, n) => {
    re.lastIndex = 0;
    const hit = re.test(line) !== flags.has('v');
    if (!hit) return;
    count++;
    if (flags.has('o') && !flags.has('v')) {
      for (const m of line.matchAll(re)) out += `${m[0]}\n`;
    } else out += `${flags.has('n') ? `${n + 1}:` : ''}${line}\n`;
  });
  if (!flags.has('q')) ctx.stdout(flags.has('c') ? `${count}\n` : out);
  if (status !== 0 && !flags.has('s')) return status;
  return count > 0 ? 0 : 1;
};

/** POSIX basic regular expressions to JavaScript: `\|`, `\(`, `\{` are the operators there. */
function toJsRegex(pattern: string, extended: boolean): string {
  if (extended) return pattern;
  return pattern.replace(
    /\\([|(){}+?])|([|(){}+?])/g,
    (_m, escaped: string | undefined, plain: string | undefined) => (escaped ? escaped : `\\${plain}`),
  );
}

function countArg(ctx: ToolContext, name: string): { n: number; files: string[] } | undefined {
  let n = 10;
  const files: string[] = [];
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    const m = /^-(?:n)?(\d+)$/.exec(arg) ?? (arg === '-n' ? /^(\d+)$/.exec(ctx.args[++i] ?? '') : null);
    if (m) n = Number(m[1]);
    else if (arg.startsWith('-') && arg !== '-') {
      ctx.stderr(`${name}: invalid number '${arg}'\n`);
      return undefined;
    } else files.push(arg);
  }
  return { n, files };
}

/** busybox head: -n N / -N. */
export const headTool: Tool = async (ctx) => {
  const parsed = countArg(ctx, 'head');
  if (!parsed) return 1;
  const { text, status } = input(ctx, parsed.files, 'head');
  ctx.stdout(
    lines(text)
      .slice(0, parsed.n)
      .map((l) => `${l}\n`)
      .join(''),
  );
  return status ? 1 : 0;
};

/** busybox tail: -n N / -N. */
export const tailTool: Tool = async (ctx) => {
  const follow = ctx.args.some((a) => a === '-f' || a === '-F');
  const parsed = countArg({ ...ctx, args: ctx.args.filter((a) => a !== '-f' && a !== '-F') }, 'tail');
  if (!parsed) return 1;
  const { text, status } = input(ctx, parsed.files, 'tail');
  const all = lines(text);
  ctx.stdout(
    all
      .slice(Math.max(0, all.length - parsed.n))
      .map((l) => `${l}\n`)
      .join(''),
  );
  // -f: nothing else ever writes the file in the sim, so tail waits until it is killed.
  if (follow && !status) return (await ctx.clock.sleep(Number.POSITIVE_INFINITY, ctx.signal)) ? 0 : 130;
  return status ? 1 : 0;
};

/** busybox wc: -l -w -c. */
export const wcTool: Tool = async (ctx) => {
  const flags = new Set(ctx.args.filter((a) => a.startsWith('-')).flatMap((a) => [...a.slice(1)]));
  const files = ctx.args.filter((a) => !a.startsWith('-'));
  const { text, status } = input(ctx, files, 'wc');
  const counts = {
    l: (text.match(/\n/g) ?? []).length,
    w: text.split(/\s+/).filter(Boolean).length,
    c: Buffer.byteLength(text),
  };
  const chosen = (['l', 'w', 'c'] as const).filter((k) => flags.size === 0 || flags.has(k));
  const parts = chosen.map((k) => String(counts[k]).padStart(chosen.length === 1 ? 0 : 7));
  ctx.stdout(`${parts.join(' ')}${files.length ? ` ${files.join(' ')}` : ''}\n`);
  return status ? 1 : 0;
};
