import { listeningSockets, parseSocketFlags } from '../net/socket-table';
import type { Tool } from '../tool-context';

/** busybox 1.36 netstat: `-tlnp`, `-an`, `-ulnp`; the sim has listening sockets only. */
export const netstatTool: Tool = async (ctx) => {
  const { flags, bad } = parseSocketFlags(ctx.args, 'ltunpaewWrx');
  if (bad) {
    ctx.stderr(`netstat: invalid option -- '${bad.replace(/^-/, '')}'\n`);
    return 1;
  }
  if (flags.has('r')) {
    ctx.stdout(
      'Kernel IP routing table\nDestination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n',
    );
    return 0;
  }
  const any = flags.has('t') || flags.has('u');
  const tcp = flags.has('t') || !any;
  const udp = flags.has('u') || !any;
  const listening = flags.has('l') || flags.has('a');
  const title = flags.has('a') ? 'servers and established' : flags.has('l') ? 'only servers' : 'w/o servers';
  const pid = flags.has('p');
  let out = `Active Internet connections (${title})\n`;
  out += `Proto Recv-Q Send-Q Local Address           Foreign Address         State       ${pid ? 'PID/Program name    ' : ''}\n`;
  if (listening) {
    for (const s of listeningSockets(ctx.host)) {
      if (s.proto === 'tcp' ? !tcp : !udp) continue;
      const local = `${s.address}:${s.port}`;
      const foreign = s.ipv6 ? ':::*' : '0.0.0.0:*';
      const proto = `${s.proto}${s.ipv6 ? '6' : ''}`.padEnd(5);
      const state = (s.proto === 'tcp' ? 'LISTEN' : '').padEnd(11);
      out +=
        `${proto}      0      0 ${local.padEnd(23)} ${foreign.padEnd(23)} ${state} ${pid ? (s.pid ? `${s.pid}/${s.program}` : '-') : ''}`.trimEnd() +
        '\n';
    }
  }
  ctx.stdout(out);
  return 0;
};
