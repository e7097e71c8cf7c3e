import { defaultKindImages } from './lab-images';
import { KindProvider, type KindProviderOptions } from './kind.provider';

/**
 * A kind provider that preloads the toolbox, the probe image and every catalog lab's images, and
 * hands out internal kubeconfigs when NETLAB_KIND_INTERNAL_KUBECONFIG=true (set by docker-compose).
 */
export function createKindProvider(
  options: KindProviderOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): KindProvider {
  return new KindProvider({
    images: defaultKindImages(),
    internalAddress: env.NETLAB_KIND_INTERNAL_KUBECONFIG === 'true',
    ...options,
  });
}
