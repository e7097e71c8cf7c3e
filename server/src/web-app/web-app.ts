import { existsSync, readFileSync } from 'node:fs';
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
 * Serves the web app at `/`: static files from `distDir` when it has an index.html, with every other
 * GET outside the server's own paths answered by index.html (client-side routes); otherwise a page
 * saying the UI is not built. Registered before Nest's routes.
 */
export function serveWebApp(
  app: NestExpressApplication,
  distDir: string = WEB_DIST_DIR,
): 'built' | 'placeholder' {
  const index = join(distDir, 'index.html');
  const built = existsSync(index);
  if (built) {
    app.useStaticAssets(distDir, {
      index: false,
      setHeaders: (res, path) => {
        // Vite fingerprints everything under assets/: cache it forever; never cache index.html.
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    if (!(req.headers.accept ?? '*/*').match(/text\/html|\*\/\*/)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(built ? readFileSync(index, 'utf8') : PLACEHOLDER);
  });
  return built ? 'built' : 'placeholder';
}
