import { describe, expect, it } from 'vitest';
import { parseImage } from './app-model';
import { APP_MODELS, startApp } from './app-registry';
import {
  catalogEntry,
  DECLARABLE_MODELS,
  declaredCatalogImage,
  dnsClientOf,
  IMAGE_CATALOG,
  pullFailure,
} from './image-catalog';

const ctx = {
  env: { POSTGRES_PASSWORD: 'pw', MYSQL_ROOT_PASSWORD: 'pw' },
  hostname: 'p',
  podIP: '10.244.1.5',
  stdin: false,
  tty: false,
  now: () => Date.parse('2026-01-01T00:00:00Z'),
};

/** A short reference a learner would type for the entry (`nginx`, `nicolaka/netshoot`). */
function shortName(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

describe('IMAGE_CATALOG', () => {
  it.each(IMAGE_CATALOG.map((e) => [e.names[0]!, e] as const))(
    'should pull and run %s with its default command as the real image does',
    (name, entry) => {
      for (const ref of [name, `${shortName(name)}:latest`, `${shortName(name)}@sha256:${'0'.repeat(64)}`]) {
        expect(pullFailure(parseImage(ref)), ref).toBeUndefined();
        expect(catalogEntry(parseImage(ref)), ref).toBe(entry);
      }
      expect(APP_MODELS[entry.model], `model ${entry.model}`).toBeDefined();
      const app = startApp({ image: `${shortName(name)}:latest` }, ctx);
      expect(app.argv).toEqual([...entry.entrypoint, ...entry.cmd]);
      const listening = app.instance.listeners.map((l) => `${l.address}:${l.port}/${l.protocol}`).sort();
      expect(listening).toEqual([...entry.listens].sort());
      // Without a shell an image runs only its own binaries (kube-proxy's iptables and conntrack).
      if (entry.shell === 'none' && entry.model !== 'kube-proxy') expect(entry.tools).toEqual([]);
      expect(entry.about.length).toBeGreaterThan(10);
    },
  );

  it.each([
    ['ngnix', 'pull access denied, repository does not exist or may require authorization'],
    ['nginx:lates', 'docker.io/library/nginx:lates: not found'],
    ['registry.local/app:1', 'lookup registry.local on 172.18.0.1:53: no such host'],
    ['bitnami/nope', 'pull access denied'],
  ])('should refuse to pull %s as containerd would', (ref, words) => {
    expect(pullFailure(parseImage(ref))?.message).toContain(words);
  });

  it('should pull an image outside the catalog when the cluster was told the registry has it', () => {
    expect(pullFailure(parseImage('registry.local/app:1'), ['registry.local/app:1'])).toBeUndefined();
  });

  it.each([
    ['busybox:1.28', { command: ['sh', '-c', 'echo hi'] }, ['sh', '-c', 'echo hi']],
    ['nginx:1.27', { command: ['sh', '-c', 'sleep 5'] }, ['sh', '-c', 'sleep 5']],
    ['curlimages/curl:8.10.1', { args: ['-s', 'http://web'] }, ['curl', '-s', 'http://web']],
    ['curlimages/curl', { args: ['sh', '-c', 'curl -s web'] }, ['sh', '-c', 'curl -s web']],
    ['node:22', { command: ['sh', '-c', 'echo'] }, ['sh', '-c', 'echo']],
  ])('should run %s %j through the emulated shell as %j', (image, spec, main) => {
    expect(startApp({ image, ...spec }, ctx).instance.main).toEqual(main);
  });

  it('should keep agnhost pausing with no arguments (its CMD is pause)', () => {
    const app = startApp({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.47' }, ctx);
    expect(app.argv).toEqual(['/agnhost', 'pause']);
    expect(app.instance.startupLogs).toEqual(['Paused']);
    expect(app.instance.exit).toBeUndefined();
  });

  it('should exit 1 with the entrypoint error when postgres has no password', () => {
    const app = startApp({ image: 'postgres:16' }, { ...ctx, env: {} });
    expect(app.instance.exit).toEqual({ afterMs: 200, code: 1 });
    expect(app.instance.startupLogs[0]).toBe(
      'Error: Database is uninitialized and superuser password is not specified.',
    );
  });
});

describe(dnsClientOf.name, () => {
  it.each([
    ['busybox:1.28', 'busybox-1.28'],
    ['busybox:1.28.4', 'busybox-1.28'],
    ['busybox:1.36', 'busybox'],
    ['busybox', 'busybox'],
    ['gcr.io/google-containers/busybox', 'busybox-1.28'],
    ['alpine:3.8', 'busybox-1.28'],
    ['alpine:3.20', 'busybox'],
    ['nicolaka/netshoot', 'bind'],
    ['registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', 'bind'],
    ['nginx', undefined],
  ])('should give %s the nslookup %s', (image, client) => {
    const ref = parseImage(image);

    expect(dnsClientOf(catalogEntry(ref)!, ref)).toBe(client);
  });
});

describe(declaredCatalogImage.name, () => {
  it('should take the model row and put the declared fields over it when a lab declares its image', () => {
    const sut = declaredCatalogImage({
      image: 'ghcr.io/acme/shop:1.0',
      model: 'http-echo',
      cmd: ['-text=hi'],
    });

    expect(sut).toMatchObject({
      names: ['ghcr.io/acme/shop'],
      model: 'http-echo',
      entrypoint: ['/http-echo'],
      cmd: ['-text=hi'],
      shell: 'none',
    });
  });

  it('should find the declared row at any tag and let it pull when it is declared', () => {
    const declared = [declaredCatalogImage({ image: 'acme/shop', model: 'nginx' })];
    const ref = parseImage('acme/shop:9.9.9');

    expect(catalogEntry(ref, declared)?.model).toBe('nginx');
    expect(pullFailure(ref, [], declared)).toBeUndefined();
    expect(pullFailure(ref)?.message).toContain('pull access denied');
  });

  it('should name the choices when the model is unknown', () => {
    expect(() => declaredCatalogImage({ image: 'acme/x', model: 'coredns' })).toThrow(
      'image acme/x: unknown model "coredns"; use one of shell, nginx,',
    );
  });

  it('should offer only models the sim has', () => {
    expect(DECLARABLE_MODELS.filter((m) => !APP_MODELS[m])).toEqual([]);
  });
});
