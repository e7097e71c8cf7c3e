import type { PodEntry } from './cluster-index';
import { declaredPorts } from './pod-facts';
import type { Listener, ListenerMode, Protocol } from './types';

/** Whether something in the pod accepts the connection, and what was found, in words. */
export interface ListenerCheck {
  ok: boolean;
  detail: string;
}

const ANY = new Set(['0.0.0.0', '::', '*', '']);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Decides whether a destination pod listens on ip:port/protocol under a {@link ListenerMode}. */
export class ListenerTable {
  private readonly byPod = new Map<string, Listener[]>();
  private readonly cache = new Map<string, Listener[]>();

  constructor(private readonly mode: ListenerMode) {
    const list = mode.mode === 'declared' ? (mode.hints ?? []) : mode.mode === 'exact' ? mode.listeners : [];
    for (const l of list) {
      const key = `${l.namespace}/${l.pod}`;
      const entries = this.byPod.get(key) ?? [];
      entries.push(l);
      this.byPod.set(key, entries);
    }
  }

  /** The listeners the model believes `pod` has. */
  listeners(pod: PodEntry): Listener[] {
    const given = this.byPod.get(pod.key);
    if (given || this.mode.mode === 'exact') return given ?? [];
    return declaredPorts(pod.pod).map((p) => ({
      namespace: pod.namespace,
      pod: pod.name,
      container: p.container,
      address: '0.0.0.0',
      port: p.containerPort,
      protocol: p.protocol,
    }));
  }

  /** The yes/no of {@link check} without building any text (for truth tables). */
  accepts(pod: PodEntry, ip: string, port: number, protocol: Protocol): boolean {
    if (this.mode.mode === 'any') return true;
    let listeners = this.cache.get(pod.key);
    if (!listeners) {
      listeners = this.listeners(pod);
      this.cache.set(pod.key, listeners);
    }
    return listeners.some(
      (l) =>
        l.port === port &&
        l.protocol === protocol &&
        (ANY.has(l.address) || l.address === ip || (LOOPBACK.has(l.address) && LOOPBACK.has(ip))),
    );
  }

  /** Whether a connection to `ip`:`port` (a loopback address when the pod calls itself) is accepted. */
  check(pod: PodEntry, ip: string, port: number, protocol: Protocol): ListenerCheck {
    const where = `${ip}:${port}/${protocol}`;
    if (this.mode.mode === 'any')
      return { ok: true, detail: `assumed listening on ${where} (policy-only mode)` };
    const listeners = this.listeners(pod);
    const onPort = listeners.filter((l) => l.port === port && l.protocol === protocol);
    const hit = onPort.find(
      (l) => ANY.has(l.address) || l.address === ip || (LOOPBACK.has(l.address) && LOOPBACK.has(ip)),
    );
    if (hit) {
      const who = hit.container ? `container ${hit.container} of Pod ${pod.key}` : `Pod ${pod.key}`;
      return { ok: true, detail: `${who} listens on ${hit.address || '0.0.0.0'}:${port}/${protocol}` };
    }
    if (onPort.length > 0) {
      const bound = onPort.map((l) => `${l.address}:${l.port}`).join(', ');
      const loopbackOnly = onPort.every((l) => LOOPBACK.has(l.address));
      return {
        ok: false,
        detail: loopbackOnly
          ? `Pod ${pod.key} listens on ${bound} only (loopback), so connections to its IP ${ip}:${port} are refused; the app must listen on 0.0.0.0`
          : `Pod ${pod.key} listens on ${bound}, not on ${where}, so the connection is refused`,
      };
    }
    const others = listeners.map((l) => `${l.address}:${l.port}/${l.protocol}`);
    return {
      ok: false,
      detail:
        `nothing in Pod ${pod.key} listens on port ${port}/${protocol}, so the connection is refused` +
        (others.length ? ` (it listens on ${others.join(', ')})` : ' (it declares no container ports)'),
    };
  }
}
