import type { AppContext, AppInstance, AppModel, ImageRef } from './app-model';
import { containerArgv, parseImage } from './app-model';
import { agnhostApp } from './agnhost.app';
import { httpEchoApp } from './http-echo.app';
import { nginxApp } from './nginx.app';
import { pythonApp } from './python.app';
import { alpineApp, busyboxApp, debianApp, netshootApp } from './shell-process.app';
import {
  apacheApp,
  cniAgentApp,
  controlPlaneApp,
  coreDnsApp,
  kubeProxyApp,
  pauseApp,
  toolboxApp,
} from './system.app';

/** Every image family the sim models, most specific first. */
export const APP_MODELS: AppModel[] = [
  httpEchoApp,
  nginxApp,
  busyboxApp,
  alpineApp,
  netshootApp,
  debianApp,
  agnhostApp,
  pythonApp,
  apacheApp,
  pauseApp,
  coreDnsApp,
  kubeProxyApp,
  cniAgentApp,
  controlPlaneApp,
  toolboxApp,
];

/** A started container: its model (if known), argv and behaviour. */
export interface StartedApp {
  image: ImageRef;
  model: AppModel | undefined;
  argv: string[];
  instance: AppInstance;
}

/** The model for an image, or undefined when the sim does not know it. */
export function findAppModel(image: string): AppModel | undefined {
  const ref = parseImage(image);
  return APP_MODELS.find((m) => m.matches(ref));
}

/**
 * Starts a container's app from its image, command, args and env. An unknown image runs its
 * command but listens on nothing (the kubelet emits a Warning saying so).
 */
export function startApp(
  container: { image?: string; command?: string[]; args?: string[] },
  context: Omit<AppContext, 'image'>,
): StartedApp {
  const image = parseImage(container.image ?? '');
  const model = APP_MODELS.find((m) => m.matches(image));
  const argv = containerArgv(
    model ?? { entrypoint: [], cmd: [] },
    container.command,
    container.args,
    context.env,
  );
  if (!model) {
    return {
      image,
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
  return { image, model, argv, instance: model.start(argv, { ...context, image }) };
}
