/**
 * Gauges of the cancel road, read from the database (and the Kafka dead-letter topic) when Prometheus
 * scrapes, not maintained on the hot path. A failed read sets switch_queue_state_up to 0 and leaves the
 * other gauges at their last values, so an alert on them does not flap while the database is away.
 */
import type { Gauge } from 'prom-client';
import type { Logger } from '../../logging/logger';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { KafkaProbe } from '../kafka-probe';
import { readQueueState } from '../queue-state';
import { gauge } from './metric-factory';
import type { SwitchMetrics } from './switch-metrics';

export class QueueGauges {
  private readonly up: Gauge;
  private readonly outboxBacklog: Gauge;
  private readonly outboxOldestAge: Gauge;
  private readonly cancelJobs: Gauge<'state'>;
  private readonly pendingCancels: Gauge;
  private readonly pendingCancelOldestAge: Gauge;
  private readonly openInterventions: Gauge<'reason'>;
  private readonly deadLetters: Gauge<'queue'>;
  private readonly lapsedOwners: Gauge;

  constructor(
    metrics: SwitchMetrics,
    private readonly uow: UnitOfWork,
    private readonly kafka: KafkaProbe | undefined,
    private readonly log: Logger,
  ) {
    const r = metrics.registry;
    this.up = gauge(r, 'switch_queue_state_up', '1 when the last read of the queue gauges succeeded');
    this.outboxBacklog = gauge(r, 'switch_outbox_backlog', 'Outbox rows not yet relayed');
    this.outboxOldestAge = gauge(
      r,
      'switch_outbox_oldest_age_seconds',
      'Age of the oldest outbox row not yet relayed (0 when none)',
    );
    this.cancelJobs = gauge(
      r,
      'switch_cancel_jobs',
      'In-process cancel queue jobs by state (pending, done, dead); empty with Kafka',
      ['state'],
    );
    this.pendingCancels = gauge(
      r,
      'switch_cancels_pending',
      'Payments in CANCEL_REQUESTED: cancel decided, Alipay has not confirmed it yet',
    );
    this.pendingCancelOldestAge = gauge(
      r,
      'switch_cancel_pending_oldest_age_seconds',
      'Time since the oldest unconfirmed cancel was ordered (0 when none)',
    );
    this.openInterventions = gauge(
      r,
      'switch_open_interventions',
      'Open manual interventions by reason (refund-gave-up: refunds whose retries ran out)',
      ['reason'],
    );
    this.deadLetters = gauge(
      r,
      'switch_dead_letters',
      'Cancel orders on the dead-letter list: dead in-process jobs, or records in the Kafka dead-letter topic',
      ['queue'],
    );
    this.lapsedOwners = gauge(
      r,
      'switch_payments_of_lapsed_owners',
      'Unfinished payments whose owner instance has no live lease: nobody drives them until another instance takes them over',
    );
  }

  async refresh(now: Date = new Date()): Promise<void> {
    try {
      const state = await readQueueState(this.uow, now);
      this.outboxBacklog.set(state.outboxBacklog);
      this.outboxOldestAge.set(state.outboxOldestAgeMs / 1000);
      setAll(this.cancelJobs, 'state', { pending: 0, done: 0, dead: 0, ...state.cancelJobs });
      this.pendingCancels.set(state.pendingCancels);
      this.pendingCancelOldestAge.set(state.pendingCancelOldestAgeMs / 1000);
      setAll(this.openInterventions, 'reason', state.openInterventions);
      this.deadLetters.labels('in-process').set(state.cancelJobs.dead ?? 0);
      this.lapsedOwners.set(state.paymentsOfLapsedOwners);
      if (this.kafka) this.deadLetters.labels('kafka').set(await this.kafka.deadLetters());
      this.up.set(1);
    } catch (err) {
      this.up.set(0);
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'queue gauges not read');
    }
  }
}

/** Replaces every child, so a label value that disappeared (a resolved reason) does not linger. */
function setAll<L extends string>(gauge: Gauge<L>, label: L, values: Record<string, number>): void {
  gauge.reset();
  for (const [value, count] of Object.entries(values))
    gauge.set({ [label]: value } as Record<L, string>, count);
}
