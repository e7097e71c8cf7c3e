import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TOOLBOX_IMAGE } from './lab-images';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}

describe('docker-compose.yml and the images', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };

  it('should give the server the host Docker socket, PostgreSQL and the kind settings', () => {
    const server = compose.services.server;

    expect(server?.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    expect(server?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      toolbox: { condition: 'service_completed_successfully' },
    });
    expect(server?.environment).toMatchObject({
      HOST: '0.0.0.0',
      NETLAB_PROVIDER: 'kind',
      NETLAB_KIND_INTERNAL_KUBECONFIG: 'true',
      DATABASE_URL: expect.stringContaining('@postgres:5432/netlab'),
    });
    expect(server?.ports).toEqual(['${NETLAB_PORT:-3000}:3000']);
  });

  it('should build every image from a Dockerfile in the repository, the toolbox under the tag kind preloads', () => {
    expect(compose.services.toolbox?.image).toBe(TOOLBOX_IMAGE);
    for (const service of Object.values(compose.services)) {
      if (!service.build) continue;
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      expect(existsSync(join(ROOT, build.context, build.dockerfile ?? 'Dockerfile'))).toBe(true);
    }
  });

  it.each(['infra/images/toolbox/Dockerfile', 'infra/images/platform/Dockerfile'])(
    'should start %s only from public Docker Hub images',
    (file) => {
      const bases = [...read(file).matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1] ?? '');
      expect(bases.length).toBeGreaterThan(0);
      for (const base of bases) expect(base).toMatch(/^(debian|node|docker):[\w.${}-]+$/);
    },
  );

  it('should ship the build script and the platform entrypoint as executables', () => {
    for (const file of ['infra/images/build.sh', 'infra/images/platform/entrypoint.sh']) {
      expect(() => accessSync(join(ROOT, file), constants.X_OK)).not.toThrow();
    }
  });
});
