import type { AppModel } from './app-model';
import { flagValue, parseListenAddress } from './app-model';
import { goLogTime, respond } from './http-util';

/** hashicorp/http-echo: answers every path with `-text`, on `-listen` (default :5678). */
export const httpEchoApp: AppModel = {
  name: 'http-echo',
  matches: (i) => i.repository === 'hashicorp/http-echo',
  entrypoint: ['/http-echo'],
  cmd: [],
  start(argv, ctx) {
    const flags = argv.slice(1);
    const text = flagValue(flags, '-text', '--text') ?? ctx.env['ECHO_TEXT'];
    const listen = parseListenAddress(flagValue(flags, '-listen', '--listen') ?? ':5678', 5678);
    const status = Number(flagValue(flags, '-status-code', '--status-code') ?? '200');
    const started = goLogTime(ctx.now());
    if (text === undefined) {
      // The real binary refuses to start without -text.
      return {
        listeners: [],
        processes: [{ user: 'root', command: argv.join(' ') }],
        startupLogs: [`${started} [ERR] Missing -text option!`],
        exit: { afterMs: 0, code: 127 },
        handlesSigterm: true,
      };
    }
    return {
      listeners: [{ address: listen.address, port: listen.port, protocol: 'TCP' }],
      processes: [{ user: 'root', command: argv.join(' ') }],
      startupLogs: [
        `${started} [INFO] server is listening on ${listen.address === '0.0.0.0' ? '' : listen.address}:${listen.port}`,
      ],
      handlesSigterm: true,
      http(port, req) {
        if (port !== listen.port) return undefined;
        const now = ctx.now();
        const body = `${text}\n`;
        const path = req.path.split('?')[0];
        const response =
          path === '/health'
            ? respond(200, '{"status":"ok"}\n', now, { 'Content-Type': 'application/json' })
            : respond(status, body, now, {
                'Content-Type': 'text/plain; charset=utf-8',
                'X-App-Name': 'http-echo',
                'X-App-Version': '1.0.0',
              });
        const log = `${goLogTime(now)} ${req.local.ip}:${port} ${req.client.ip}:${req.client.port} "${req.method} ${req.path} HTTP/1.1" ${response.status} ${Buffer.byteLength(response.body)} "${req.headers['user-agent'] ?? ''}" 43.211µs`;
        return { response, log: [log] };
      },
    };
  },
};
