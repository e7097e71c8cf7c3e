import { resolvePath } from '../shell-filesystem';
import { SIGINT_STATUS, type Tool } from '../tool-context';

/** busybox echo: -n, -e, -E. */
export const echoTool: Tool = async (ctx) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < ctx.args.length && /^-[neE]+$/.test(ctx.args[i]!); i++) {
    for (const c of ctx.args[i]!.slice(1)) {
      if (c === 'n') newline = false;
      if (c === 'e') escapes = true;
      if (c === 'E') escapes = false;
    }
  }
  let text = ctx.args.slice(i).join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = unescape(text);
  }
  ctx.stdout(newline ? `${text}\n` : text);
  return 0;
};

/** printf with %s, %d, %%, and backslash escapes; the format is reused while arguments remain. */
export const printfTool: Tool = async (ctx) => {
  const [format, ...args] = ctx.args;
  if (format === undefined) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: printf FORMAT [ARG]...\n',
    );
    return 1;
  }
  let out = '';
  let k = 0;
  do {
    out += unescape(format).replace(/%([-0-9.]*)([sdiuxc%])/g, (_m, _w: string, conv: string) => {
      if (conv === '%') return '%';
      const a = args[k++] ?? '';
      return conv === 's' || conv === 'c' ? a : String(Math.trunc(Number(a) || 0));
    });
  } while (k > 0 && k < args.length);
  ctx.stdout(out);
  return 0;
};

function unescape(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|[abfnrtv\\])/g, (_m, e: string) => {
    if (e.startsWith('0')) return String.fromCharCode(parseInt(e, 8) || 0);
    return { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }[e] ?? e;
  });
}

/** `true`. */
export const trueTool: Tool = async () => 0;
/** `false`. */
export const falseTool: Tool = async () => 1;

/** busybox cat: files of the container's tiny filesystem, or stdin. */
export const catTool: Tool = async (ctx) => {
  const files = ctx.args.filter((a) => a === '-' || !a.startsWith('-'));
  if (files.length === 0) {
    ctx.stdout(ctx.stdin);
    return 0;
  }
  let status = 0;
  for (const f of files) {
    const path = resolvePath(ctx.cwd, f);
    if (f === '-') ctx.stdout(ctx.stdin);
    else if (ctx.fs.isDir(path)) {
      ctx.stderr(`cat: read error: Is a directory\n`);
      status = 1;
    } else {
      const text = ctx.fs.read(path);
      if (text === undefined) {
        ctx.stderr(`cat: can't open '${f}': No such file or directory\n`);
        status = 1;
      } else ctx.stdout(text);
    }
  }
  return status;
};

/** env and printenv: the exported environment. */
export const envTool: Tool = async (ctx) => {
  const names = ctx.args.filter((a) => !a.startsWith('-'));
  if (ctx.argv0.endsWith('printenv') && names.length > 0) {
    const found = names.filter((n) => ctx.env[n] !== undefined);
    ctx.stdout(found.map((n) => `${ctx.env[n]}\n`).join(''));
    return found.length === names.length ? 0 : 1;
  }
  ctx.stdout(
    Object.entries(ctx.env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return 0;
};

/** hostname (`-i` prints the pod IP). */
export const hostnameTool: Tool = async (ctx) => {
  ctx.stdout(ctx.args.includes('-i') ? `${ctx.host.pod.ip ?? '127.0.0.1'}\n` : `${ctx.host.hostname}\n`);
  return 0;
};

/** busybox ps: the container's processes, this shell and ps itself. */
export const psTool: Tool = async (ctx) => {
  if (ctx.host.ps === 'procps') return procps(ctx);
  const user = ctx.host.user?.name ?? 'root';
  const rows = [
    ...ctx.host.processes,
    { pid: ctx.shell.pid, user, command: 'sh' },
    { pid: ctx.shell.commandPid, user, command: ['ps', ...ctx.args].join(' ') },
  ];
  const body = rows
    .map((p) => `${String(p.pid).padStart(5)} ${p.user.slice(0, 8).padEnd(8)}  0:00 ${p.command}\n`)
    .join('');
  ctx.stdout(`PID   USER     TIME  COMMAND\n${body}`);
  return 0;
};

/** procps-ng's ps (Debian, kind's node): the terminal's processes, or all with `aux` / `-ef`. */
function procps(ctx: Parameters<Tool>[0]): Promise<number> {
  const user = ctx.host.user?.name ?? 'root';
  const rows = [
    ...ctx.host.processes.map((p) => ({ ...p, tty: '?' })),
    { pid: ctx.shell.pid, user, command: '/bin/sh', tty: 'pts/0' },
    { pid: ctx.shell.commandPid, user, command: ['ps', ...ctx.args].join(' '), tty: 'pts/0' },
  ];
  const flags = ctx.args.join(' ');
  const start = new Date(ctx.clock.now()).toISOString().slice(11, 16);
  if (/\baux\b|\bax\b/.test(flags)) {
    ctx.stdout('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n');
    for (const p of rows)
      ctx.stdout(
        `${p.user.slice(0, 8).padEnd(8)} ${String(p.pid).padStart(7)}  0.0  0.0 ${String(p.tty === '?' ? 1233 + p.pid * 7 : 4236).padStart(6)} ${String(p.tty === '?' ? 512 + p.pid : 3020).padStart(5)} ${p.tty.padEnd(8)} ${(p.pid === 1 ? 'Ss' : p.tty === '?' ? 'Sl' : 'R+').padEnd(4)} ${start.padStart(5)} ${'0:00'.padStart(6)} ${p.command}\n`,
      );
    return Promise.resolve(0);
  }
  if (/(^|\s)-[a-zA-Z]*e/.test(flags) || /(^|\s)-A\b/.test(flags)) {
    ctx.stdout('UID          PID    PPID  C STIME TTY          TIME CMD\n');
    for (const p of rows)
      ctx.stdout(
        `${p.user.slice(0, 8).padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.pid === 1 ? 0 : 1).padStart(7)}  0 ${start} ${p.tty.padEnd(8)} 00:00:00 ${p.command}\n`,
      );
    return Promise.resolve(0);
  }
  ctx.stdout('    PID TTY          TIME CMD\n');
  for (const p of rows.filter((r) => r.tty !== '?'))
    ctx.stdout(
      `${String(p.pid).padStart(7)} ${p.tty.padEnd(8)} 00:00:00 ${p.command.split(' ')[0]!.split('/').pop()}\n`,
    );
  return Promise.resolve(0);
}

/** id and whoami. */
export const idTool: Tool = async (ctx) => {
  const u = ctx.host.user ?? { uid: 0, gid: 0, name: 'root' };
  if (ctx.argv0.endsWith('whoami')) ctx.stdout(`${u.name}\n`);
  else if (ctx.args.includes('-u')) ctx.stdout(`${u.uid}\n`);
  else if (u.uid === 0) ctx.stdout('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
  else ctx.stdout(`uid=${u.uid}(${u.name}) gid=${u.gid} groups=${u.gid}\n`);
  return 0;
};

/** uname: the node's kernel (the sim's nodes run the host's kind of kernel). */
export const unameTool: Tool = async (ctx) => {
  const flags = ctx.args.join('');
  const all = flags.includes('a');
  const parts = all
    ? [
        'Linux',
        ctx.host.hostname,
        '6.1.0-28-amd64',
        '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
        'x86_64',
        'GNU/Linux',
      ]
    : [
        ...(flags.includes('s') || flags === '' ? ['Linux'] : []),
        ...(flags.includes('n') ? [ctx.host.hostname] : []),
        ...(flags.includes('r') ? ['6.1.0-28-amd64'] : []),
        ...(flags.includes('m') ? ['x86_64'] : []),
      ];
  ctx.stdout(`${parts.join(' ')}\n`);
  return 0;
};

/** sleep N (seconds, fractions allowed); Ctrl-C interrupts it. */
export const sleepTool: Tool = async (ctx) => {
  if (ctx.args.length === 1 && /^inf(inity)?$/.test(ctx.args[0]!))
    return (await ctx.clock.sleep(Number.POSITIVE_INFINITY, ctx.signal)) ? 0 : SIGINT_STATUS;
  const total = ctx.args.reduce((sum, a) => {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
    if (!m) return NaN;
    return sum + Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }, 0);
  if (ctx.args.length === 0 || Number.isNaN(total)) {
    ctx.stderr(
      ctx.args.length
        ? `sleep: invalid number '${ctx.args[0]}'\n`
        : 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n',
    );
    return 1;
  }
  return (await ctx.clock.sleep(total * 1000, ctx.signal)) ? 0 : SIGINT_STATUS;
};

/** date, in busybox's default format. */
export const dateTool: Tool = async (ctx) => {
  const d = ctx.clock.date();
  ctx.stdout(`${d.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 UTC $4')}\n`);
  return 0;
};

/** clear: the terminal's clear-screen sequence. */
export const clearTool: Tool = async (ctx) => {
  ctx.stdout('\x1b[H\x1b[J');
  return 0;
};

/** seq [FIRST [STEP]] LAST. */
export const seqTool: Tool = async (ctx) => {
  const nums = ctx.args.map(Number);
  if (nums.length === 0 || nums.length > 3 || nums.some((n) => !Number.isFinite(n))) {
    ctx.stderr(
      nums.length === 0
        ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n'
        : `seq: invalid number '${ctx.args.find((a) => !Number.isFinite(Number(a)))}'\n`,
    );
    return 1;
  }
  const [first, step, last] =
    nums.length === 1
      ? [1, 1, nums[0]!]
      : nums.length === 2
        ? [nums[0]!, 1, nums[1]!]
        : [nums[0]!, nums[1]!, nums[2]!];
  let out = '';
  for (let n = first, i = 0; step > 0 ? n <= last : n >= last; n += step, i++) {
    if (step === 0 || i > 100_000) break;
    out += `${n}\n`;
  }
  ctx.stdout(out);
  return 0;
};

/** busybox mkdir [-p] DIR...: without -p, a missing parent or an existing directory is an error. */
export const mkdirTool: Tool = async (ctx) => {
  const parents = ctx.args.some((a) => /^-[a-z]*p/.test(a));
  const dirs = ctx.args.filter((a) => !a.startsWith('-'));
  if (dirs.length === 0) {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: mkdir [-m MODE] [-p] DIRECTORY...\n',
    );
    return 1;
  }
  let status = 0;
  for (const dir of dirs) {
    const path = resolvePath(ctx.cwd, dir);
    const up = path.slice(0, path.lastIndexOf('/')) || '/';
    if (ctx.fs.isDir(path) && !parents) {
      ctx.stderr(`mkdir: can't create directory '${dir}': File exists\n`);
      status = 1;
    } else if (!parents && !ctx.fs.isDir(up)) {
      ctx.stderr(`mkdir: can't create directory '${dir}': No such file or directory\n`);
      status = 1;
    } else ctx.fs.makeDir(path);
  }
  return status;
};

/** busybox touch FILE...: creates empty files. */
export const touchTool: Tool = async (ctx) => {
  for (const f of ctx.args.filter((a) => !a.startsWith('-'))) {
    const path = resolvePath(ctx.cwd, f);
    if (ctx.fs.read(path) === undefined) ctx.fs.write(path, '');
  }
  return 0;
};
