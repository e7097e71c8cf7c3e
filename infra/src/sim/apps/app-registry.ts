import type { AppContext, AppInstance, AppModel, ImageRef } from './app-model';
import { containerArgv, parseImage } from './app-model';
import { agnhostApp } from './agnhost.app';
import {
  curlApp,
  databaseApp,
  httpbinApp,
  nodeApp,
  serveHostnameApp,
  whoamiApp,
} from './catalog-servers.app';
import { httpEchoApp } from './http-echo.app';
import { ingressNginxApp } from './ingress-nginx.app';
import { kubeApiServerApp } from './kube-apiserver.app';
import { withDeclaredTls } from './declared-tls';
import { catalogEntry, type CatalogImage } from './image-catalog';
import { nginxApp } from './nginx.app';
import { pythonApp } from './python.app';
import { shellApp, startShellProcess } from './shell-process.app';
import {
  apacheApp,
  cniAgentApp,
  controlPlaneApp,
  coreDnsApp,
  kubeProxyApp,
  pauseApp,
  toolboxApp,
} from './system.app';

/** Every behaviour model, by the name the image catalog uses. */
export const APP_MODELS: Readonly<Record<string, AppModel>> = Object.fromEntries(
  [
    httpEchoApp,
    nginxApp,
    shellApp,
    agnhostApp,
    serveHostnameApp,
    pythonApp,
    nodeApp,
    curlApp,
    whoamiApp,
    httpbinApp,
    databaseApp,
    apacheApp,
    pauseApp,
    coreDnsApp,
    kubeProxyApp,
    cniAgentApp,
    controlPlaneApp,
    kubeApiServerApp,
    toolboxApp,
    ingressNginxApp,
  ].map((m) => [m.name, m]),
);

/** A started container: its catalog entry and model (if known), argv and behaviour. */
export interface StartedApp {
  image: ImageRef;
  entry: CatalogImage | undefined;
  model: AppModel | undefined;
  argv: string[];
  instance: AppInstance;
}

/** The model for an image, or undefined when the sim does not know it. */
export function findAppModel(image: string): AppModel | undefined {
  const entry = catalogEntry(parseImage(image));
  return entry ? APP_MODELS[entry.model] : undefined;
}

const SHELLS = new Set(['sh', 'ash', 'bash', 'dash', 'zsh']);

/** Whether argv[0] is a shell or a tool the image ships rather than the image's own program. */
function runsInShell(argv0: string | undefined, entry: CatalogImage): boolean {
  if (!argv0 || entry.shell === 'none' || entry.model === 'shell') return false;
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  if (entry.model === 'python' && /^python/.test(base)) return false;
  return SHELLS.has(base) || entry.tools.includes(base);
}

/**
 * Starts a container's app from its image (its catalog entry's ENTRYPOINT/CMD and model), command,
 * args and env. A shell or a tool of the image given as the command (`nginx` image with
 * `sh -c '…'`, `sleep 3600`) runs through the emulated shell instead of the image's program. An
 * image a lab declares runs its declared model; any other image outside the catalog (one a lab
 * lists by name only) runs its command but listens on nothing.
 */
export function startApp(
  container: { image?: string; command?: string[]; args?: string[] },
  context: Omit<AppContext, 'image'>,
  declared: readonly CatalogImage[] = [],
): StartedApp {
  const image = parseImage(container.image ?? '');
  const entry = catalogEntry(image, declared);
  const model = entry ? APP_MODELS[entry.model] : undefined;
  const argv = containerArgv(
    entry ? { entrypoint: [...entry.entrypoint], cmd: [...entry.cmd] } : { entrypoint: [], cmd: [] },
    container.command,
    container.args,
    context.env,
  );
  if (!model) {
    return {
      image,
      entry,
      model,
      argv,
      instance: {
        listeners: [],
        processes: [{ user: 'root', command: argv.join(' ') || image.repository }],
        startupLogs: [],
        handlesSigterm: true,
      },
    };
  }
  const ctx = { ...context, image };
  const instance = runsInShell(argv[0], entry!) ? startShellProcess(argv, ctx) : model.start(argv, ctx);
  withDeclaredTls(instance, entry!.tls, context.files);
  return { image, entry, model, argv, instance };
}
