// Starts the platform: config from the environment (every bad value listed at once), the database
// (PGlite under NETLAB_DATA_DIR unless DATABASE_URL is set, migrated at start-up), then HTTP.
import { ShutdownTimeoutError, startServer } from './bootstrap';
import { runningServerPid, writeServerPid } from './common/server-pid';
import { ConfigError } from './config/config.error';
import { loadConfig } from './config/config.loader';

try {
  const config = loadConfig(process.env, { warn: (m) => console.warn(`warning: ${m}`) });
  let forgetPid = () => {};
  if (!config.databaseUrl) {
    const other = runningServerPid(config.dataDir);
    if (other) {
      console.error(
        `netlab cannot start: another netlab server (pid ${other}) is using ${config.dataDir}; only one process may open its embedded database. Stop it, or set NETLAB_DATA_DIR to another folder.`,
      );
      process.exit(1);
    }
    forgetPid = writeServerPid(config.dataDir);
    process.on('exit', () => forgetPid());
  }
  const server = await startServer(config);
  console.log(`netlab is running at ${config.port === 0 ? server.url : config.publicUrl}/ (Ctrl-C to stop)`);
  let stopping = false;
  const stop = (signal: string) => {
    // npm start forwards the signal the process group already got: the second one is the same stop.
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (finishing requests in flight) ...`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof ShutdownTimeoutError ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
