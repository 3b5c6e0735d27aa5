/**
 * Leases of the switch instances sharing one database, and the payments each owns. One lease row per
 * instance, renewed by it; an instance whose lease lapsed (it died or hangs) has its payments taken over.
 * Implemented in SQL by src/persistence.
 */
import type { Payment } from '../../domain/payment';
import type { Refund } from '../../domain/refund';

/** What an instance must drive after a restart or a takeover. */
export interface Leftovers {
  readonly payments: Payment[];
  readonly refunds: Refund[];
}

export interface InstanceLeases {
  /** Starts this instance's lease, valid until `until`, under a new epoch (returned). */
  register(instanceId: string, now: Date, until: Date): Promise<number>;
  /** Extends it; false when the row no longer carries `epoch` (released, or another process registered under this id). */
  renew(instanceId: string, epoch: number, now: Date, until: Date): Promise<boolean>;
  /** Ends it at once, so the other instances take its payments over on their next look. */
  release(instanceId: string, epoch: number): Promise<void>;
  /** Owners of unfinished payments or refunds, other than `self`, without a lease valid at `now`. */
  lapsedOwners(self: string, now: Date): Promise<string[]>;
  /**
   * Unfinished payments owned by `owner`; with null, the payments stored before owners were recorded that
   * still need a driver (open, or an approval whose delivery is not known to be done).
   */
  unfinishedOf(owner: string | null): Promise<Payment[]>;
  /**
   * Refunds owned by `owner` whose outcome is still retried (RECEIVED or PENDING, not given up to people);
   * with null, such refunds stored before refunds had owners.
   */
  unfinishedRefundsOf(owner: string | null): Promise<Refund[]>;
  /** Drops lease rows that expired before `before` (instances long gone). */
  forgetExpired(before: Date): Promise<void>;
}
