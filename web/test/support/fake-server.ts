// A small in-memory stand-in for the netlab server, speaking the contract (server/docs/api-contract.md).
// Only a stepping stone while the real server lands, and a way to show every page state in screenshots:
// the end-to-end specs run against the real server. The terminal is a real bash behind a pty (script(1)).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Attempt, CheckRun } from '../../src/api/types';
import { FAKE_HINTS, FAKE_LABS, failingChecks, fakeNetMap } from './fake-fixtures';

const DIST = resolve(import.meta.dirname, '../../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

interface Shell {
  proc: ChildProcess;
  out: Buffer[];
  total: number;
  sockets: Set<WebSocket>;
}

/** Knobs a spec can turn to show a given state. */
export interface FakeOptions {
  registration?: 'open' | 'invite' | 'closed';
  provisionStepMs?: number;
}

export class FakeServer {
  private server: Server | null = null;
  private users = new Map<string, { id: string; email: string; displayName: string; password: string }>();
  private sessions = new Map<string, string>(); // session -> user id
  private attempts = new Map<string, Attempt & { owner: string; fixed: boolean; runs: CheckRun[] }>();
  private streams = new Map<string, Set<ServerResponse>>();
  private shells = new Map<string, Shell>();
  url = '';

  constructor(private readonly options: FakeOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req, res).catch((e) =>
          this.json(res, 500, { code: 'INTERNAL', message: String(e) }),
        ),
    );
    const wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (p) => (p.has('netlab.terminal.v1') ? 'netlab.terminal.v1' : false),
    });
    this.server.on('upgrade', (req, socket, head) => {
      const m = /^\/api\/attempts\/([^/]+)\/terminals\/([a-z0-9-]{1,32})\/ws$/.exec(req.url ?? '');
      const attempt = m ? this.attempts.get(m[1]!) : undefined;
      if (!m || !attempt || this.userOf(req) !== attempt.owner) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.attachTerminal(ws, attempt, m[2]!));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.shells.values()) s.proc.kill('SIGKILL');
    for (const set of this.streams.values()) for (const r of set) r.end();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Moves an attempt to a state (for screenshots of states a real run reaches only slowly). */
  setAttempt(id: string, patch: Partial<Attempt>): void {
    const a = this.attempts.get(id);
    if (!a) throw new Error(`no attempt ${id}`);
    Object.assign(a, patch);
    this.push(a);
  }

  private userOf(req: IncomingMessage): string | undefined {
    const sid = /netlab_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return sid ? this.sessions.get(sid) : undefined;
  }

  private json(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
  }

  private view(a: Attempt): Attempt {
    const {
      owner: _o,
      fixed: _f,
      runs: _r,
      ...rest
    } = a as Attempt & { owner: string; fixed: boolean; runs: CheckRun[] };
    return rest;
  }

  private push(a: Attempt, event = 'attempt', data: unknown = this.view(a)) {
    for (const r of this.streams.get(a.id) ?? [])
      r.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (!path.startsWith('/api/')) return this.serveStatic(path, res);
    if (method !== 'GET' && !req.headers['x-csrf-token'])
      return this.json(res, 403, { code: 'CSRF_INVALID', message: 'Reload the page.' });

    if (path === '/api/auth/csrf') return this.json(res, 200, { token: randomUUID() });
    if (path === '/api/auth/config')
      return this.json(res, 200, { registration: this.options.registration ?? 'open' });
    if (path === '/api/auth/register' && method === 'POST') {
      if (this.options.registration === 'closed')
        return this.json(res, 403, { code: 'REGISTRATION_CLOSED', message: 'Registration is closed.' });
      const b = await this.body(req);
      const problems = [];
      if (!/^[^@\s]+@[^@\s]+$/.test(String(b.email ?? '')))
        problems.push({ path: 'email', message: 'Enter an email address like ada@example.com.' });
      if (String(b.password ?? '').length < 10)
        problems.push({ path: 'password', message: 'Use at least 10 characters.' });
      if (!String(b.displayName ?? '').trim())
        problems.push({ path: 'displayName', message: 'Tell us your name.' });
      if (problems.length)
        return this.json(res, 400, {
          code: 'VALIDATION_FAILED',
          message: 'Some fields need attention.',
          details: problems,
        });
      const user = {
        id: randomUUID(),
        email: String(b.email),
        displayName: String(b.displayName),
        password: String(b.password),
      };
      this.users.set(user.email, user);
      return this.signIn(res, user);
    }
    if (path === '/api/auth/login' && method === 'POST') {
      const b = await this.body(req);
      const user = this.users.get(String(b.email));
      if (!user || user.password !== b.password)
        return this.json(res, 401, { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' });
      return this.signIn(res, user);
    }
    const uid = this.userOf(req);
    const user = [...this.users.values()].find((u) => u.id === uid);
    if (path === '/api/auth/logout') {
      const sid = /netlab_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (sid) this.sessions.delete(sid);
      res.writeHead(204, { 'set-cookie': 'netlab_session=; Path=/; Max-Age=0' }).end();
      return;
    }
    if (!user) return this.json(res, 401, { code: 'UNAUTHENTICATED', message: 'Sign in first.' });
    if (path === '/api/auth/me')
      return this.json(res, 200, {
        user: { id: user.id, email: user.email, displayName: user.displayName, role: 'learner' },
      });
    if (path === '/api/labs') {
      const labs = FAKE_LABS.map(({ steps: _s, hints: _h, checks: _c, ...l }) => {
        const mine = [...this.attempts.values()].filter((a) => a.owner === user.id && a.labSlug === l.slug);
        const active = mine.find((a) => !['passed', 'expired', 'abandoned', 'failed'].includes(a.state));
        const passed = mine.filter((a) => a.state === 'passed');
        return {
          ...l,
          my: {
            status: active ? 'active' : passed.length ? 'passed' : mine.length ? 'ended' : 'none',
            bestScore: passed.length ? Math.max(...passed.map((a) => a.score ?? 0)) : null,
            activeAttemptId: active?.id ?? null,
          },
        };
      });
      return this.json(res, 200, { labs });
    }
    if (path === '/api/attempts' && method === 'POST')
      return this.startAttempt(res, user.id, String((await this.body(req)).labSlug));
    if (path === '/api/attempts') {
      const attempts = [...this.attempts.values()]
        .filter((a) => a.owner === user.id)
        .reverse()
        .map((a) => ({
          id: a.id,
          labSlug: a.labSlug,
          labTitle: a.labTitle,
          state: a.state,
          score: a.score,
          hintsUsed: a.hintsUsed,
          createdAt: a.createdAt,
          endedAt: a.endedAt,
          durationSeconds: Math.round((Date.now() - Date.parse(a.createdAt)) / 1000),
          checkRuns: a.runs.length,
        }));
      return this.json(res, 200, { attempts });
    }
    const m = /^\/api\/attempts\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
    const a = m ? this.attempts.get(m[1]!) : undefined;
    if (!m || !a || a.owner !== user.id)
      return this.json(res, 404, { code: 'NOT_FOUND', message: 'No such attempt.' });
    switch (m[2]) {
      case undefined:
        return this.json(res, 200, this.view(a));
      case 'events':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(': hello\n\n');
        if (!this.streams.has(a.id)) this.streams.set(a.id, new Set());
        this.streams.get(a.id)!.add(res);
        req.on('close', () => this.streams.get(a.id)?.delete(res));
        return;
      case 'check-runs':
        return this.json(res, 200, { checkRuns: a.runs });
      case 'check':
        return this.json(res, 200, this.grade(a, 'manual'));
      case 'netmodel':
        return this.json(res, 200, fakeNetMap(a.fixed));
      case 'commands':
        return this.json(res, 200, { commands: [] });
      case 'hints': {
        const next = a.hints.find((h) => !h.revealed);
        if (!next) return this.json(res, 409, { code: 'NO_MORE_HINTS', message: 'Every hint is revealed.' });
        next.revealed = true;
        next.markdown = FAKE_HINTS[next.index] ?? 'Look closer.';
        a.hintsUsed += 1;
        this.push(a);
        return this.json(res, 200, {
          hint: { index: next.index, cost: next.cost, markdown: next.markdown },
          attempt: this.view(a),
        });
      }
      case 'extend':
        if (a.extended)
          return this.json(res, 409, {
            code: 'ALREADY_EXTENDED',
            message: 'You already extended this attempt once.',
          });
        Object.assign(a, {
          extended: true,
          canExtend: false,
          expiresAt: new Date(Date.parse(a.expiresAt!) + 15 * 60_000).toISOString(),
        });
        this.push(a);
        return this.json(res, 200, this.view(a));
      case 'abandon':
      case 'finish': {
        if (m[2] === 'finish') this.grade(a, 'final');
        if (a.state === 'ready')
          Object.assign(a, {
            state: m[2] === 'finish' ? 'failed' : 'abandoned',
            endedAt: new Date().toISOString(),
          });
        a.solution = {
          commands: [
            'kubectl -n shop patch service catalog --type=merge -p \'{"spec":{"selector":{"tier":"backend"}}}\'',
          ],
        };
        this.push(a);
        return this.json(res, 200, this.view(a));
      }
      case 'reset':
        a.fixed = false;
        a.checks = failingChecks(a.labSlug);
        this.push(a);
        return this.json(res, 200, this.view(a));
    }
    return this.json(res, 404, { code: 'NOT_FOUND', message: 'No such route.' });
  }

  private signIn(res: ServerResponse, user: { id: string; email: string; displayName: string }) {
    const sid = randomUUID();
    this.sessions.set(sid, user.id);
    this.json(
      res,
      200,
      { user: { id: user.id, email: user.email, displayName: user.displayName, role: 'learner' } },
      { 'set-cookie': `netlab_session=${sid}; Path=/; HttpOnly; SameSite=Lax` },
    );
  }

  private startAttempt(res: ServerResponse, owner: string, slug: string) {
    const lab = FAKE_LABS.find((l) => l.slug === slug);
    if (!lab) return this.json(res, 404, { code: 'NOT_FOUND', message: `No lab ${slug}.` });
    const existing = [...this.attempts.values()].find(
      (x) => x.owner === owner && x.labSlug === slug && ['queued', 'provisioning', 'ready'].includes(x.state),
    );
    if (existing) return this.json(res, 200, this.view(existing));
    const now = new Date();
    const a: Attempt & { owner: string; fixed: boolean; runs: CheckRun[] } = {
      id: randomUUID(),
      owner,
      fixed: false,
      runs: [],
      labSlug: slug,
      labTitle: lab.title,
      state: 'provisioning',
      provisioning: {
        step: 'cluster',
        percent: 5,
        steps: ['cluster', 'setup', 'fault', 'toolbox'].map((name, i) => ({
          name,
          state: i ? 'pending' : 'running',
        })),
        queuePosition: null,
      },
      message: null,
      steps: lab.steps,
      checks: lab.checks.map((c) => ({ ...c, status: 'pending', evidence: null, diagnosis: null })),
      hints: lab.hints.map((h) => ({ ...h, revealed: false, markdown: null })),
      score: null,
      hintsUsed: 0,
      extended: false,
      canExtend: true,
      createdAt: now.toISOString(),
      readyAt: null,
      endedAt: null,
      expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
      solution: null,
      debrief: null,
      terminal: { available: false },
    };
    this.attempts.set(a.id, a);
    const stepMs = this.options.provisionStepMs ?? 250;
    const percents = [40, 70, 85, 100];
    percents.forEach((p, i) =>
      setTimeout(
        () => {
          a.provisioning.steps[i]!.state = 'done';
          if (a.provisioning.steps[i + 1]) a.provisioning.steps[i + 1]!.state = 'running';
          a.provisioning.percent = p;
          a.provisioning.step = (a.provisioning.steps[i + 1]?.name ??
            null) as Attempt['provisioning']['step'];
          if (p === 100)
            Object.assign(a, {
              state: 'ready',
              readyAt: new Date().toISOString(),
              terminal: { available: true },
              checks: failingChecks(slug),
            });
          this.push(a);
        },
        stepMs * (i + 1),
      ),
    );
    return this.json(res, 201, this.view(a));
  }

  private grade(a: Attempt & { fixed: boolean; runs: CheckRun[] }, trigger: CheckRun['trigger']): CheckRun {
    const checks = a.fixed
      ? a.checks.map((c) => ({ ...c, status: 'pass' as const, diagnosis: null, path: null }))
      : failingChecks(a.labSlug);
    const run: CheckRun = {
      id: randomUUID(),
      trigger,
      passed: a.fixed,
      score: a.fixed ? 100 - a.hints.filter((h) => h.revealed).reduce((s, h) => s + h.cost, 0) : null,
      startedAt: new Date().toISOString(),
      durationMs: 412,
      checks,
    };
    a.runs.unshift(run);
    a.checks = checks;
    this.push(a, 'check-run', run);
    if (a.fixed && a.state === 'ready') {
      Object.assign(a, {
        state: 'passed',
        score: run.score,
        endedAt: new Date().toISOString(),
        solution: {
          commands: [
            'kubectl -n shop patch service catalog --type=merge -p \'{"spec":{"selector":{"tier":"backend"}}}\'',
          ],
        },
        debrief: {
          markdown:
            'A Service finds its Pods **only** through its label selector. One label that differs is enough to select nothing: the Service keeps its ClusterIP and DNS name, but has no endpoints, so connections are refused.',
          links: [
            {
              title: 'Kubernetes docs: Service',
              url: 'https://kubernetes.io/docs/concepts/services-networking/service/',
            },
          ],
        },
      });
      this.push(a);
    }
    return run;
  }

  private attachTerminal(ws: WebSocket, a: Attempt & { fixed: boolean; runs: CheckRun[] }, tid: string) {
    const key = `${a.id}/${tid}`;
    let shell = this.shells.get(key);
    if (!shell) {
      const proc = spawn('script', ['-qfc', 'bash --norc --noprofile -i', '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', PS1: 'learner@lab:~$ ', HOME: '/tmp' },
      });
      const s: Shell = { proc, out: [], total: 0, sockets: new Set() };
      proc.stdout!.on('data', (chunk: Buffer) => {
        const offset = s.total;
        s.out.push(chunk);
        s.total += chunk.length;
        for (const sock of s.sockets) sock.send(dataFrame(offset, chunk));
      });
      shell = s;
      this.shells.set(key, s);
    }
    const s = shell;
    s.sockets.add(ws);
    ws.on('close', () => s.sockets.delete(ws));
    let line = '';
    ws.on('message', (raw: Buffer) => {
      const type = raw[0];
      const payload = raw.subarray(1);
      if (type === 0x03) {
        const { resumeFrom } = JSON.parse(payload.toString()) as { resumeFrom: number };
        ws.send(jsonFrame(0x10, { state: 'replaying', seq: s.total }));
        const all = Buffer.concat(s.out);
        if (resumeFrom < all.length) ws.send(dataFrame(resumeFrom, all.subarray(resumeFrom)));
        ws.send(jsonFrame(0x10, { state: 'attached', seq: s.total }));
      } else if (type === 0x00) {
        s.proc.stdin!.write(payload);
        line += payload.toString();
        if (line.includes('\r')) {
          if (/kubectl .*patch/.test(line)) {
            a.fixed = true;
            setTimeout(() => this.grade(a, 'live'), 600);
          }
          line = '';
        }
      }
      // RESIZE (0x01) and ACK (0x02) are accepted and ignored: script(1) gives no handle on the pty size.
    });
  }

  private async serveStatic(path: string, res: ServerResponse) {
    const file = join(DIST, path === '/' ? 'index.html' : path);
    const safe = file.startsWith(DIST) ? file : join(DIST, 'index.html');
    try {
      const body = await readFile(safe);
      res.writeHead(200, { 'content-type': TYPES[extname(safe)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(await readFile(join(DIST, 'index.html')));
    }
  }
}

function dataFrame(offset: number, bytes: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head[0] = 0x00;
  head.writeBigUInt64BE(BigInt(offset), 1);
  return Buffer.concat([head, bytes]);
}
const jsonFrame = (type: number, v: unknown) =>
  Buffer.concat([Buffer.from([type]), Buffer.from(JSON.stringify(v))]);
