/**
 * A connection must send a request that passes the terminal checks within `timeoutMs` of being accepted, or
 * it is closed: an open socket that never speaks (or speaks only garbage or unknown terminals) holds a slot
 * and a file descriptor for nothing.
 */
export class FirstFrameWatch {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly timeoutMs: number) {}

  watch(connectionId: string, onExpired: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(connectionId);
      onExpired();
    }, this.timeoutMs);
    timer.unref();
    this.pending.set(connectionId, timer);
  }

  /** The connection proved itself (or closed): stop watching it. */
  settle(connectionId: string): void {
    const timer = this.pending.get(connectionId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.pending.delete(connectionId);
  }
}
