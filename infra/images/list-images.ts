// Prints, one a line, every image a kind cluster gets preloaded: the toolbox, the probe image and
// every catalog lab's images. Used by build.sh; run with `node --import tsx infra/images/list-images.ts`.
import { defaultKindImages } from '../src/providers/kind/lab-images';

for (const image of defaultKindImages()) console.log(image);
