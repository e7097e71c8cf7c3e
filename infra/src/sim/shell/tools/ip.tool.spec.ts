import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { ipTool } from './ip.tool';

describe(ipTool.name, () => {
  it.each([['addr'], ['a'], ['address', 'show']])('should list lo and eth0 for ip %s', async (...args) => {
    const sut = await execOnce(['ip', ...args]);

    expect(sut.stdout).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n' +
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
        '    inet 127.0.0.1/8 scope host lo\n' +
        '       valid_lft forever preferred_lft forever\n' +
        '2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n' +
        '    link/ether 0a:58:0a:f4:01:05 brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 10.244.1.5/24 brd 10.244.1.255 scope global eth0\n' +
        '       valid_lft forever preferred_lft forever\n',
    );
  });

  it.each([
    ['addr', 'show', 'eth0'],
    ['a', 's', 'eth0'],
    ['addr', 'show', 'dev', 'eth0'],
  ])('should list only eth0 for ip %s %s %s', async (...args) => {
    const sut = await execOnce(['ip', ...args]);

    expect(sut.stdout).toBe(
      '2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n' +
        '    link/ether 0a:58:0a:f4:01:05 brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 10.244.1.5/24 brd 10.244.1.255 scope global eth0\n' +
        '       valid_lft forever preferred_lft forever\n',
    );
  });

  it.each([['route'], ['r'], ['ro', 'show']])('should print the routes for ip %s', async (...args) => {
    const sut = await execOnce(['ip', ...args]);

    expect(sut.stdout).toBe(
      'default via 10.244.1.1 dev eth0 \n10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.5 \n',
    );
  });

  it('should refuse to change anything, as an unprivileged pod', async () => {
    const sut = await execOnce(['ip', 'route', 'add', 'default', 'via', '1.2.3.4']);

    expect(sut).toEqual({ code: 2, stdout: '', stderr: 'ip: RTNETLINK answers: Operation not permitted\n' });
  });

  it('should name an unknown object', async () => {
    const sut = await execOnce(['ip', 'bogus']);

    expect(sut).toEqual({ code: 1, stdout: '', stderr: "ip: unknown command 'bogus'\n" });
  });

  it('should print one line per interface with -br', async () => {
    const sut = await execOnce(['ip', '-br', 'a']);

    expect(sut.stdout).toBe(
      'lo               UNKNOWN        127.0.0.1/8 \neth0@if7         UP             10.244.1.5/24 \n',
    );
  });
});
