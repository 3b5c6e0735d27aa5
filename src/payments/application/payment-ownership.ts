/**
 * Which instance drives which payment and refund, when several share one database. Each instance holds one
 * lease row and renews it every third of LEASE_MS; each payment and refund names its owner (set in the
 * INSERT that creates it). Every look (at start, then at each renewal) claims the unfinished payments and
 * refunds of owners whose lease lapsed: a versioned UPDATE per row, so two instances never both win one,
 * and the bumped version fences the old owner off (its next write fails its version check; see
 * PaymentTransitions.applyAsOwner; a refund's old owner stops retrying once it reads the new owner, see
 * RefundAttempts). What was claimed is then resumed as a restart resumes it.
 */
import { VersionConflictError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import type { Refund } from '../domain/refund';
import { note } from './history';
import { describeError } from './payment-timers';
import type { Clock } from './ports/clock.port';
import type { InstanceLeases, Leftovers } from './ports/instance-leases.port';
import type { PaymentsLog } from './ports/log.port';
import type { PaymentEvent, PaymentRepository } from './ports/payment.repository.port';
import type { RefundRepository } from './ports/refund.repository.port';
import type { Scheduler, TimerHandle } from './ports/scheduler.port';

export interface OwnershipOptions {
  readonly instanceId: string;
  readonly leaseMs: number;
  /** No other instance can share the database (PaymentsConfig.soleInstance): every other owner has lapsed. */
  readonly alone?: boolean;
}

/** Lease rows expired this long ago belong to instances long gone (the default id changes at every start). */
const FORGET_EXPIRED_AFTER_MS = 86_400_000;
/** No lease is valid at this time: asking for the owners lapsed by then names every other owner. */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

export class PaymentOwnership {
  private epoch: number | undefined;
  /** When this process first took its lease: what it owns from before then is a previous run's. */
  private startedAt: Date | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  private look: Promise<void> = Promise.resolve();

  constructor(
    private readonly leases: InstanceLeases,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly options: OwnershipOptions,
    private readonly log: PaymentsLog,
  ) {}

  get instanceId(): string {
    return this.options.instanceId;
  }

  /** Takes the lease (a new epoch) before the first payment is created, so no other instance claims it as lapsed. */
  async register(): Promise<void> {
    const now = this.clock.now();
    this.startedAt ??= now;
    this.epoch = await this.leases.register(this.instanceId, now, this.until(now));
  }

  /**
   * What this instance must resume at start: its own leftovers (a restart under the same INSTANCE_ID), the
   * payments and refunds of lapsed owners and those stored before owners were recorded, the last two
   * claimed here. What instances with a live lease own is theirs: never touched.
   */
  async leftoversAtStart(): Promise<Leftovers> {
    if (this.epoch === undefined) await this.register();
    // Only a previous run's: resuming runs while terminals are already served, and a purchase this process
    // is paying right now would otherwise be marked answered without an approval (its approval then
    // counted undelivered and cancelled).
    const before = (row: { createdAt: Date }) => row.createdAt.getTime() < this.startedAt!.getTime();
    const own: Leftovers = {
      payments: (await this.leases.unfinishedOf(this.instanceId)).filter(before),
      refunds: (await this.leases.unfinishedRefundsOf(this.instanceId)).filter(before),
    };
    return joined([own, await this.claimLapsed(), await this.claimAll(null)]);
  }

  /** Renews the lease and takes over what lapsed owners left every third of LEASE_MS, handing it to `resume`. */
  start(resume: (claimed: Leftovers) => Promise<unknown>): void {
    this.running = true;
    const tick = (): void => {
      this.timer = this.scheduler.after(Math.floor(this.options.leaseMs / 3), () => {
        this.look = this.renewAndLook(resume).finally(() => {
          if (this.running) tick();
        });
      });
    };
    tick();
  }

  /** Stops renewing; with `release`, ends the lease so the others take over at once (a drained shutdown). */
  async stop(release: boolean): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    await this.look;
    if (release && this.epoch !== undefined) {
      await this.leases.release(this.instanceId, this.epoch);
      this.epoch = undefined;
      this.log.info({ instanceId: this.instanceId }, 'lease released');
    }
  }

  private async renewAndLook(resume: (claimed: Leftovers) => Promise<unknown>): Promise<void> {
    try {
      const now = this.clock.now();
      if (this.epoch === undefined || !(await this.leases.renew(this.instanceId, this.epoch, now, this.until(now)))) {
        this.log.error(
          { instanceId: this.instanceId },
          'lease lost (released, or another process started under this INSTANCE_ID): registering again',
        );
        await this.register();
      }
      const claimed = await this.claimLapsed();
      if (claimed.payments.length + claimed.refunds.length > 0) await resume(claimed);
      await this.leases.forgetExpired(new Date(now.getTime() - FORGET_EXPIRED_AFTER_MS));
    } catch (err) {
      // A database hiccup: the next look tries again; missing several in a row lets others take over.
      this.log.error({ instanceId: this.instanceId, err: describeError(err) }, 'lease renewal or takeover failed');
    }
  }

  private async claimLapsed(): Promise<Leftovers> {
    const claimed: Leftovers[] = [];
    // Alone, a live lease of another id is a process that died moments ago (a restart under a new default
    // INSTANCE_ID); nobody would ever look again, since only shared databases look periodically.
    const asOf = this.options.alone ? END_OF_TIME : this.clock.now();
    for (const owner of await this.leases.lapsedOwners(this.instanceId, asOf)) {
      claimed.push(await this.claimAll(owner));
    }
    return joined(claimed);
  }

  private async claimAll(owner: string | null): Promise<Leftovers> {
    const claimed: Leftovers = { payments: [], refunds: [] };
    for (const payment of await this.leases.unfinishedOf(owner)) {
      const taken = await this.claim(payment, owner, (next, history) => this.payments.update(next, payment.version, history));
      if (taken) claimed.payments.push(taken);
    }
    for (const refund of await this.leases.unfinishedRefundsOf(owner)) {
      const taken = await this.claim(refund, owner, (next, history) => this.refunds.update(next, refund.version, history));
      if (taken) claimed.refunds.push(taken);
    }
    if (claimed.payments.length + claimed.refunds.length > 0)
      this.log.warn(
        { instanceId: this.instanceId, from: owner, payments: claimed.payments.length, refunds: claimed.refunds.length },
        'payments taken over',
      );
    return claimed;
  }

  /** Conditional on the version read: a row another instance claimed or changed meanwhile is left alone. */
  private async claim<T extends Payment | Refund>(
    row: T,
    owner: string | null,
    write: (next: T, history: PaymentEvent[]) => Promise<void>,
  ): Promise<T | undefined> {
    const now = this.clock.now();
    const next: T = { ...row, ownerInstance: this.instanceId, updatedAt: now, version: row.version + 1 };
    const from = owner === null ? 'no recorded owner' : `instance ${owner} (lease lapsed)`;
    const subject = 'paymentId' in row ? { paymentId: row.paymentId, refundId: row.id } : { paymentId: row.id };
    try {
      await write(next, [note(subject, now, `taken over from ${from} by instance ${this.instanceId}`)]);
      return next;
    } catch (err) {
      if (err instanceof VersionConflictError) return undefined;
      throw err;
    }
  }

  private until(now: Date): Date {
    return new Date(now.getTime() + this.options.leaseMs);
  }
}

function joined(parts: readonly Leftovers[]): Leftovers {
  return { payments: parts.flatMap((p) => p.payments), refunds: parts.flatMap((p) => p.refunds) };
}
