/**
 * Changes to one payment made by this process run one after another. Two of them racing (a notification
 * arriving while the pay outcome is being written) would otherwise both read the same version, and the
 * loser would pay for a failed update and a fresh read before deciding again. Other processes still race,
 * and the version check settles those as before. Work for different payments runs side by side.
 */
export class OneChangeAtATime {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(paymentId: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(paymentId);
    const result = before ? before.then(work, work) : work();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(paymentId, tail);
    void tail.then(() => {
      if (this.tails.get(paymentId) === tail) this.tails.delete(paymentId);
    });
    return result;
  }

  /** Payments with a change running or waiting (tests and metrics). */
  get busy(): number {
    return this.tails.size;
  }
}
