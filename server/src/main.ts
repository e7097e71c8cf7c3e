// Starts the platform on its embedded defaults. Until the NestJS server lands this serves a
// placeholder page, so `npm start` already starts and says where.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const page = `<!doctype html><html><head><meta charset="utf-8"><title>netlab</title></head>
<body><h1>netlab</h1><p>The server is starting up in placeholder mode: the lab UI arrives with the server issue.</p>
<p>Try <code>npx netlab lab validate</code> in the repository meanwhile.</p></body></html>`;

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
});

server.listen(port, host, () => {
  console.log(
    `netlab is running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/ (Ctrl-C to stop)`,
  );
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
