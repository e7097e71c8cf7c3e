import { listeningSockets, parseSocketFlags, type SocketRow } from '../net/socket-table';
import type { Tool } from '../tool-context';

/** iproute2 ss (as in netshoot): `-ltnp`, `-lun`, `-a`; only listening sockets exist in the sim. */
export const ssTool: Tool = async (ctx) => {
  const { flags, bad } = parseSocketFlags(ctx.args, 'ltunpaexHO46rs');
  if (bad) {
    ctx.stderr(
      `ss: invalid option -- '${bad.replace(/^-/, '')}'\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n`,
    );
    return 1;
  }
  const tcp = flags.has('t') || !flags.has('u');
  const udp = flags.has('u');
  const listening = flags.has('l') || flags.has('a');
  const both = tcp && udp;
  const rows = listening ? listeningSockets(ctx.host).filter((s) => (s.proto === 'tcp' ? tcp : udp)) : [];
  const local = (s: SocketRow) => [s.ipv6 ? `[${s.address}]` : s.address, String(s.port)] as const;
  const peer = (s: SocketRow) => [s.ipv6 ? '[::]' : '0.0.0.0', '*'] as const;
  const addrWidth = Math.max(13, ...rows.map((s) => local(s)[0].length));
  const peerWidth = Math.max(12, ...rows.map((s) => peer(s)[0].length));
  const portWidth = Math.max(4, ...rows.map((s) => local(s)[1].length));
  const head =
    `${both ? 'Netid ' : ''}State  Recv-Q Send-Q ${'Local Address'.padStart(addrWidth)}:${'Port'.padEnd(portWidth)} ` +
    `${'Peer Address'.padStart(peerWidth)}:Port${flags.has('p') ? ' Process' : ''}`;
  const lines = rows.map((s) => {
    const [la, lp] = local(s);
    const [pa, pp] = peer(s);
    const state = s.proto === 'tcp' ? 'LISTEN' : 'UNCONN';
    const sendQ = s.proto === 'tcp' ? '4096' : '0';
    const proc = flags.has('p') && s.pid ? ` users:(("${s.program}",pid=${s.pid},fd=${3}))` : '';
    return (
      `${both ? `${s.proto.padEnd(5)} ` : ''}${state.padEnd(6)} 0      ${sendQ.padEnd(6)} ` +
      `${la.padStart(addrWidth)}:${lp.padEnd(portWidth)} ${pa.padStart(peerWidth)}:${pp.padEnd(4)}${proc}`
    ).trimEnd();
  });
  ctx.stdout([head, ...lines].map((l) => `${l}\n`).join(''));
  return 0;
};
