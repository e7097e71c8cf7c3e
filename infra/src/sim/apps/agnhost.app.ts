import type { AppInstance, AppModel } from './app-model';
import { flagValue } from './app-model';
import { goLogTime, pathOnly, queryParam, respond } from './http-util';

/** registry.k8s.io/e2e-test-images/agnhost: `netexec`, `serve-hostname`, `pause`, ... */
export const agnhostApp: AppModel = {
  name: 'agnhost',
  matches: (i) =>
    i.repository === 'e2e-test-images/agnhost' || i.repository === 'kubernetes-e2e-test-images/agnhost',
  entrypoint: ['/agnhost'],
  cmd: [],
  start(argv, ctx): AppInstance {
    const args = argv[0]?.endsWith('agnhost') ? argv.slice(1) : argv;
    const sub = args[0];
    const flags = args.slice(1);
    const t = () => goLogTime(ctx.now());
    const base = { processes: [{ user: 'root', command: argv.join(' ') }], handlesSigterm: true };
    if (sub === 'netexec') {
      const httpPort = Number(flagValue(flags, '--http-port', '-http-port') ?? '8080');
      const udpPort = Number(flagValue(flags, '--udp-port', '-udp-port') ?? '8081');
      const sctpPort = Number(flagValue(flags, '--sctp-port', '-sctp-port') ?? '-1');
      const listeners: AppInstance['listeners'] = [{ address: '0.0.0.0', port: httpPort, protocol: 'TCP' }];
      if (udpPort > 0) listeners.push({ address: '0.0.0.0', port: udpPort, protocol: 'UDP' });
      if (sctpPort > 0) listeners.push({ address: '0.0.0.0', port: sctpPort, protocol: 'SCTP' });
      const logs = [`${t()} Started HTTP server on port ${httpPort}`];
      if (udpPort > 0) logs.push(`${t()} Started UDP server on port  ${udpPort}`);
      return {
        ...base,
        listeners,
        startupLogs: logs,
        http(port, req) {
          if (port !== httpPort) return undefined;
          const now = ctx.now();
          const path = pathOnly(req.path);
          const plain = { 'Content-Type': 'text/plain; charset=utf-8' };
          let response;
          switch (path) {
            case '/':
              response = respond(
                200,
                `NOW: ${new Date(now).toISOString().replace('T', ' ').replace('Z', ' +0000 UTC')}`,
                now,
                plain,
              );
              break;
            case '/hostname':
              response = respond(200, ctx.hostname, now, plain);
              break;
            case '/echo':
              response = respond(200, queryParam(req.path, 'msg') ?? '', now, plain);
              break;
            case '/clientip':
              response = respond(200, `${req.client.ip}:${req.client.port}`, now, plain);
              break;
            case '/healthz':
            case '/readyz':
              response = respond(200, '', now, plain);
              break;
            case '/header':
              response = respond(
                200,
                req.headers[(queryParam(req.path, 'key') ?? '').toLowerCase()] ?? '',
                now,
                plain,
              );
              break;
            default:
              response = respond(404, '404 page not found\n', now, {
                ...plain,
                'X-Content-Type-Options': 'nosniff',
              });
          }
          return { response, log: [`${goLogTime(now)} GET ${path}`] };
        },
      };
    }
    if (sub === 'serve-hostname') {
      const port = Number(flagValue(flags, '--port', '-port') ?? '9376');
      const udp = flags.includes('--udp') || flags.includes('--udp=true');
      const tcp = flags.includes('--tcp') || flags.includes('--tcp=true');
      const http = !(udp || tcp) || flags.includes('--http=true');
      return {
        ...base,
        listeners: [{ address: '0.0.0.0', port, protocol: udp ? 'UDP' : 'TCP' }],
        startupLogs: [`${t()} Serving on port ${port}.`],
        http(p, req) {
          if (p !== port || !http) return undefined;
          void req;
          return {
            response: respond(200, ctx.hostname, ctx.now(), { 'Content-Type': 'text/plain; charset=utf-8' }),
            log: [],
          };
        },
      };
    }
    if (sub === 'pause') {
      return { ...base, listeners: [], startupLogs: ['Paused'] };
    }
    if (sub === undefined) {
      return {
        ...base,
        listeners: [],
        startupLogs: ['agnhost is a collection of test utilities.', '', 'Usage:', '  agnhost [command]'],
        exit: { afterMs: 0, code: 0 },
      };
    }
    return {
      ...base,
      listeners: [],
      startupLogs: [`Error: unknown command "${sub}" for "agnhost"`, "Run 'agnhost --help' for usage."],
      exit: { afterMs: 0, code: 1 },
    };
  },
};
