import type { NetInterface } from '../shell-host';
import type { Tool } from '../tool-context';

const LOOPBACK: NetInterface = {
  name: 'lo',
  addresses: ['127.0.0.1/8'],
  mac: '00:00:00:00:00:00',
  mtu: 65536,
};

/** busybox 1.36 `ip`: `addr`/`a`, `link`/`l`, `route`/`r`, in iproute2's layout. */
export const ipTool: Tool = async (ctx) => {
  const brief = ctx.args.some((a) => a === '-br' || a === '-brief');
  const args = ctx.args.filter((a) => !['-4', '-o', '-br', '-brief', '-c', '-color'].includes(a));
  const [object = '', command = 'show'] = args;
  const interfaces = ctx.host.interfaces.some((i) => i.name === 'lo')
    ? ctx.host.interfaces
    : [LOOPBACK, ...ctx.host.interfaces];
  // `ip addr show eth0` / `ip link show eth0`: the device may follow `show` without `dev`.
  const named =
    ('address'.startsWith(object) || 'link'.startsWith(object)) && object !== '' && args[2] !== 'dev'
      ? args[2]
      : undefined;
  const dev = args.includes('dev') ? args[args.indexOf('dev') + 1] : named;
  if ('route'.startsWith(object) && object !== '' && ['add', 'del', 'delete'].includes(command)) {
    const change = ctx.host.changeRoute?.(command === 'add' ? 'add' : 'del', args.slice(2)) ?? {
      code: 2,
      stderr: 'RTNETLINK answers: Operation not permitted\n',
    };
    if (change.stderr) ctx.stderr(`ip: ${change.stderr}`);
    return change.code;
  }
  if (
    !['show', 'list', 'ls', 'lst', 'sh'].includes(command) &&
    !(object.startsWith('r') && command === 'get')
  ) {
    if (dev === undefined) {
      ctx.stderr(`ip: RTNETLINK answers: Operation not permitted\n`);
      return 2;
    }
  }
  if ('address'.startsWith(object) && object !== '') {
    const shown = interfaces.filter((i) => dev === undefined || i.name === dev);
    if (dev !== undefined && shown.length === 0) {
      ctx.stderr(`ip: can't find device '${dev}'\n`);
      return 1;
    }
    ctx.stdout(
      shown
        .map((i) =>
          brief
            ? `${displayName(i, interfaces.indexOf(i) + 1).padEnd(16)} ${(i.name === 'lo' ? 'UNKNOWN' : 'UP').padEnd(14)} ${i.addresses.join(' ')} \n`
            : describe(i, interfaces.indexOf(i) + 1, true),
        )
        .join(''),
    );
    return 0;
  }
  if ('link'.startsWith(object) && object !== '') {
    ctx.stdout(interfaces.map((i, n) => describe(i, n + 1, false)).join(''));
    return 0;
  }
  if ('route'.startsWith(object) && object !== '') {
    if (command === 'get') {
      const def = ctx.host.routes.find((r) => r.startsWith('default'));
      const src = ctx.host.pod.ip ?? '';
      const via = /via (\S+)/.exec(def ?? '')?.[1];
      ctx.stdout(
        `${args[2] ?? ''} ${via ? `via ${via} ` : ''}dev eth0 src ${src} uid ${ctx.host.user?.uid ?? 0} \n    cache \n`,
      );
      return 0;
    }
    ctx.stdout(ctx.host.routes.map((r) => `${r} \n`).join(''));
    return 0;
  }
  if (object === '') {
    ctx.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n\nOPTIONS := -f[amily] inet|inet6|link | -o[neline]\n',
    );
    return 1;
  }
  ctx.stderr(`ip: unknown command '${object}'\n`);
  return 1;
};

function describe(i: NetInterface, index: number, withAddresses: boolean): string {
  const lo = i.name === 'lo';
  const flags = lo ? '<LOOPBACK,UP,LOWER_UP>' : '<BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN>';
  const name = displayName(i, index);
  const qlen = lo ? ' qlen 1000' : ' ';
  let out = `${index}: ${name}: ${flags} mtu ${i.mtu} qdisc noqueue${qlen}\n`;
  out += lo
    ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'
    : `    link/ether ${i.mac ?? macFor(i.addresses[0] ?? i.name)} brd ff:ff:ff:ff:ff:ff\n`;
  if (!withAddresses) return out;
  for (const cidr of i.addresses) {
    const [ip = '', bits = '32'] = cidr.split('/');
    if (ip.includes(':')) {
      out += `    inet6 ${cidr} scope ${lo ? 'host' : 'global'} \n       valid_lft forever preferred_lft forever\n`;
      continue;
    }
    const brd = lo ? '' : ` brd ${broadcast(ip, Number(bits))}`;
    out += `    inet ${cidr}${brd} scope ${lo ? 'host' : 'global'} ${i.name.split('@')[0]}\n       valid_lft forever preferred_lft forever\n`;
  }
  return out;
}

/** `eth0@if7`: a pod's eth0 is one end of a veth pair whose peer lives in the node. */
function displayName(i: NetInterface, index: number): string {
  return i.name === 'lo' || i.name.includes('@') ? i.name : `${i.name}@if${index + 5}`;
}

function broadcast(ip: string, bits: number): string {
  const n = ip.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const b = (n | ~mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 255).join('.');
}

/** A stable locally-administered MAC derived from the address, like a veth's random one. */
function macFor(seed: string): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const bytes = [0x0a, 0x58, (h >>> 24) & 255, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
