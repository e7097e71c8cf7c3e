import { RunError, type CommandRunner, type RunOptions } from '../common/command-runner';

/**
 * Loads the labs' and the toolbox's images into a cluster's nodes (`kind load docker-image`), so an
 * attempt never waits on a registry. Images missing from the host are pulled once per process.
 */
export class ImagePreloader {
  private readonly present = new Set<string>();

  constructor(
    private readonly runner: CommandRunner,
    readonly images: readonly string[],
  ) {}

  /** Makes sure every image is on the host, then loads them all into the cluster's nodes. */
  async load(cluster: string, run: RunOptions): Promise<void> {
    if (!this.images.length) return;
    await this.ensurePresent(run);
    await this.runner.run(['kind', 'load', 'docker-image', ...this.images, '--name', cluster], run);
  }

  /** Pulls each image the host does not have yet (only the first time it is needed). */
  async ensurePresent(run: RunOptions): Promise<void> {
    for (const image of this.images) {
      if (this.present.has(image)) continue;
      try {
        await this.runner.run(['docker', 'image', 'inspect', '--format', '{{.Id}}', image], run);
      } catch (err) {
        if (err instanceof RunError && err.failure !== 'exit') throw err;
        try {
          await this.runner.run(['docker', 'pull', image], run);
        } catch (pullErr) {
          const why = pullErr instanceof RunError ? pullErr.output : String(pullErr);
          throw new Error(
            `image ${image} is not on this host and \`docker pull ${image}\` failed (${why}); build and pull the lab images with infra/images/build.sh`,
            { cause: pullErr },
          );
        }
      }
      this.present.add(image);
    }
  }
}
