import { defaultKindImages } from './lab-images';
import { KindProvider, type KindProviderOptions } from './kind.provider';

/** A kind provider that preloads the toolbox, the probe image and every catalog lab's images. */
export function createKindProvider(options: KindProviderOptions = {}): KindProvider {
  return new KindProvider({ images: defaultKindImages(), ...options });
}
