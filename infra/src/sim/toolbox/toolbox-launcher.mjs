// Runs first inside the toolbox sandbox (its own network namespace): fills the size-limited tmpfs
// home from the read-only seed, forwards 127.0.0.1:<port> to the cluster's API socket (the only way
// out of the namespace), then runs the shell and exits with its status.
// argv: <api socket> <port> <seed dir> <home> -- <command...>
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const [socketPath, port, seed, home, dashdash, ...command] = process.argv.slice(2);
if (dashdash !== '--' || command.length === 0) {
  process.stderr.write('netlab toolbox launcher: bad arguments\n');
  process.exit(2);
}
fs.cpSync(seed, home, { recursive: true });
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.pipe(upstream).pipe(client);
  const drop = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', drop);
  upstream.on('error', drop);
});
server.on('error', (e) => {
  process.stderr.write(`netlab toolbox launcher: cannot reach the cluster API: ${e.message}\n`);
  process.exit(126);
});
server.listen(Number(port), '127.0.0.1', () => {
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', cwd: home });
  child.on('error', (e) => {
    process.stderr.write(`${command[0]}: ${e.message}\n`);
    process.exit(127);
  });
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? 15 : 1)));
});
