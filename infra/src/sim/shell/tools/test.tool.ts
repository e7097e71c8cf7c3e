import { resolvePath } from '../shell-filesystem';
import type { Tool, ToolContext } from '../tool-context';

/** `test` and `[`: strings, integers, files, `!`, `-a`/`-o`. Status 2 with a message on bad syntax. */
export const testTool: Tool = async (ctx) => {
  let args = ctx.args;
  if (ctx.argv0.endsWith('[')) {
    if (args[args.length - 1] !== ']') {
      ctx.stderr('[: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(args, ctx) ? 0 : 1;
  } catch (e) {
    ctx.stderr(`${ctx.argv0.endsWith('[') ? '[' : 'test'}: ${(e as Error).message}\n`);
    return 2;
  }
};

function evaluate(args: string[], ctx: ToolContext): boolean {
  const or = args.indexOf('-o');
  if (or > 0) return evaluate(args.slice(0, or), ctx) || evaluate(args.slice(or + 1), ctx);
  const and = args.indexOf('-a');
  if (and > 0) return evaluate(args.slice(0, and), ctx) && evaluate(args.slice(and + 1), ctx);
  if (args[0] === '!') return !evaluate(args.slice(1), ctx);
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) return unary(args[0]!, args[1]!, ctx);
  if (args.length === 3) return binary(args[0]!, args[1]!, args[2]!);
  throw new Error('syntax error');
}

function unary(op: string, value: string, ctx: ToolContext): boolean {
  const path = resolvePath(ctx.cwd, value);
  switch (op) {
    case '-z':
      return value === '';
    case '-n':
      return value !== '';
    case '-e':
      return ctx.fs.exists(path);
    case '-f':
      return ctx.fs.read(path) !== undefined && !ctx.fs.isDir(path);
    case '-d':
      return ctx.fs.isDir(path);
    case '-s':
      return (ctx.fs.read(path) ?? '') !== '';
    default:
      throw new Error(`${op}: unknown operand`);
  }
}

function binary(left: string, op: string, right: string): boolean {
  if (op === '=' || op === '==') return left === right;
  if (op === '!=') return left !== right;
  const ints = [left, right].map((v) => {
    if (!/^\s*-?\d+\s*$/.test(v)) throw new Error(`invalid number '${v}'`);
    return Number(v);
  });
  const [a, b] = ints as [number, number];
  const ops: Record<string, boolean> = {
    '-eq': a === b,
    '-ne': a !== b,
    '-lt': a < b,
    '-le': a <= b,
    '-gt': a > b,
    '-ge': a >= b,
  };
  if (!(op in ops)) throw new Error(`${op}: unknown operand`);
  return ops[op]!;
}
