/**
 * The readiness checks: the database answers, Kafka answers (when configured), and the outbox is being
 * relayed (its oldest unrelayed row is younger than READY_MAX_OUTBOX_AGE_MS). Each is bounded by
 * CHECK_TIMEOUT_MS so a hung dependency makes the probe fail rather than hang.
 */
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { KafkaProbe } from '../kafka-probe';
import { readOutboxOldestAgeMs } from '../queue-state';
import { withTimeout } from '../with-timeout';

export const CHECK_TIMEOUT_MS = 2_000;

export class Readiness {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly uow: UnitOfWork,
    private readonly kafka: KafkaProbe | undefined,
    private readonly maxOutboxAgeMs: number,
  ) {}

  /** The checks terminus runs for /health/ready, in order. */
  checks(): Array<() => Promise<HealthIndicatorResult>> {
    const checks = [() => this.database(), () => this.outbox()];
    const kafka = this.kafka;
    if (kafka) checks.push(() => this.broker(kafka));
    return checks;
  }

  private async database(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await withTimeout(
        this.uow.read((m) => m.query('SELECT 1')),
        CHECK_TIMEOUT_MS,
        'the database',
      );
      return check.up();
    } catch (err) {
      return check.down({ message: messageOf(err) });
    }
  }

  private async outbox(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('outbox');
    try {
      const ageMs = await withTimeout(readOutboxOldestAgeMs(this.uow), CHECK_TIMEOUT_MS, 'the database');
      const detail = { oldestUnrelayedAgeMs: ageMs, maxAgeMs: this.maxOutboxAgeMs };
      return ageMs <= this.maxOutboxAgeMs ? check.up(detail) : check.down(detail);
    } catch (err) {
      return check.down({ message: messageOf(err) });
    }
  }

  private async broker(kafka: KafkaProbe): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('kafka');
    try {
      return check.up({ brokers: await kafka.ping() });
    } catch (err) {
      return check.down({ message: messageOf(err) });
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
