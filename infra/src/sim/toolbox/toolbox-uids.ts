/**
 * The uids toolbox shells run as: one per cluster, never two clusters at once, from a range no
 * account uses. Each sim host gets its own range (`NETLAB_TOOLBOX_UID_BASE`), so uids are never
 * shared across processes either.
 */
export class ToolboxUids {
  private readonly taken = new Set<number>();

  constructor(
    readonly base = Number(process.env.NETLAB_TOOLBOX_UID_BASE ?? 2_000_000),
    readonly size = 10_000,
  ) {}

  /** The lowest free uid; throws when the range is used up. */
  allocate(): number {
    for (let uid = this.base; uid < this.base + this.size; uid++) {
      if (!this.taken.has(uid)) {
        this.taken.add(uid);
        return uid;
      }
    }
    throw new Error(`no free toolbox uid in ${this.base}–${this.base + this.size - 1}`);
  }

  /** Gives a uid back once nothing runs under it. */
  release(uid: number): void {
    this.taken.delete(uid);
  }
}

/** The process-wide allocator. */
export const TOOLBOX_UIDS = new ToolboxUids();
