import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** The web app's build output: `web/dist` in this repository. */
export const WEB_DIST_DIR = resolve(fileURLToPath(new URL('../../../web/dist', import.meta.url)));

/** Paths the server answers itself; everything else is the single-page app. */
const SERVER_PATHS = /^\/(api|healthz|readyz|metrics)(\/|$)/;

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netlab</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>netlab</h1>
<p>The server is running, but the web UI is not built: <code>web/dist</code> does not exist.</p>
<p>Build it with <code>npm run build --workspace @netlab/web</code> (or start with <code>npm start</code>, which builds it),
then reload. The API is documented at <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

/**
 * Serves the web app at `/`: files from `distDir` when it has an index.html, with every other GET
 * outside the server's own paths answered by index.html (client-side routes); otherwise a page
 * saying the UI is not built. Registered before Nest's routes; API paths never touch the disk.
 */
export function serveWebApp(
  app: NestExpressApplication,
  distDir: string = WEB_DIST_DIR,
): 'built' | 'placeholder' {
  const root = resolve(distDir);
  const index = join(root, 'index.html');
  const built = existsSync(index);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    if (built && req.path !== '/') {
      const file = resolve(root, `.${decodePath(req.path)}`);
      if (file.startsWith(`${root}/`) && isFile(file)) {
        // Vite fingerprints everything under assets/: cache it for good; the rest revalidates.
        const immutable = file.startsWith(join(root, 'assets') + '/');
        res.sendFile(file, {
          headers: { 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
        });
        return;
      }
    }
    if (!(req.headers.accept ?? '*/*').match(/text\/html|\*\/\*/)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(built ? readFileSync(index, 'utf8') : PLACEHOLDER);
  });
  return built ? 'built' : 'placeholder';
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '/';
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
