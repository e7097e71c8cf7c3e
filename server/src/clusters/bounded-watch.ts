import { Watch, type KubeConfig } from '@kubernetes/client-node';

/** How long the API server may take to answer a watch request (the watch may then stay open). */
export const WATCH_ANSWER_MS = 30_000;

type WatchArgs = Parameters<Watch['watch']>;

/**
 * client-node's Watch with two guarantees it lacks (1.4):
 * - a watch the API server does not answer within `answerMs` fails with an error that says so
 *   (client-node makes a 30 s timeout signal and then replaces it, so such a watch waits forever and
 *   its informer never hears of a change again); an answer that comes later is dropped;
 * - after `close()` nothing stays open: a watch still waiting for its answer is aborted when the
 *   answer comes (`ListWatch.stop()` can only abort a watch that has answered).
 */
export class BoundedWatch extends Watch {
  private closed = false;
  private readonly open = new Set<AbortController>();

  constructor(
    config: KubeConfig,
    private readonly answerMs = WATCH_ANSWER_MS,
  ) {
    super(config);
  }

  override async watch(
    path: WatchArgs[0],
    queryParams: WatchArgs[1],
    callback: WatchArgs[2],
    done: WatchArgs[3],
  ): Promise<AbortController> {
    if (this.closed) {
      const aborted = new AbortController();
      aborted.abort();
      done(new Error('the watch was closed'));
      return aborted;
    }
    let ended = false;
    const end = (error: unknown) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      done(error);
    };
    const timer = setTimeout(
      () =>
        end(
          new Error(
            `the cluster API did not answer the watch of ${path} within ${this.answerMs / 1000} s: is the cluster overloaded or its host stuck?`,
          ),
        ),
      this.answerMs,
    );
    timer.unref();
    let controller: AbortController;
    try {
      controller = await super.watch(
        path,
        queryParams,
        (...event) => {
          if (!ended && !this.closed) callback(...event);
        },
        end,
      );
    } catch (error) {
      ended = true; // thrown before any request (the kubeconfig): the caller hears it from here
      clearTimeout(timer);
      throw error;
    }
    clearTimeout(timer);
    if (ended || this.closed) {
      controller.abort();
      return controller;
    }
    this.open.add(controller);
    controller.signal.addEventListener('abort', () => this.open.delete(controller), { once: true });
    return controller;
  }

  /** Aborts every open watch, and every later answer. */
  close(): void {
    this.closed = true;
    for (const controller of this.open) controller.abort();
    this.open.clear();
  }
}
