/** One line of a container's log with the time it was written. */
export interface LogLine {
  at: number;
  text: string;
}

/** Lines kept per container instance; older ones are dropped as containerd's log rotation would. */
const MAX_LINES = 500;

/** A container instance's stdout/stderr, with followers for `kubectl logs -f`. */
export class LogBuffer {
  private lines: LogLine[] = [];
  private followers: Set<(line: LogLine | null) => void> | undefined;
  closed = false;

  append(at: number, text: string): void {
    const line = { at, text };
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
    if (this.followers) for (const f of this.followers) f(line);
  }

  /** Marks the instance as ended: followers get `null`. */
  close(): void {
    this.closed = true;
    if (this.followers) for (const f of this.followers) f(null);
    this.followers = undefined;
  }

  snapshot(): readonly LogLine[] {
    return this.lines;
  }

  /** Subscribes to new lines; returns the unsubscribe function. */
  follow(listener: (line: LogLine | null) => void): () => void {
    (this.followers ??= new Set()).add(listener);
    return () => {
      this.followers?.delete(listener);
      if (this.followers?.size === 0) this.followers = undefined;
    };
  }
}
