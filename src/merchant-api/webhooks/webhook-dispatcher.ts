/**
 * Pushes webhook deliveries: every PAY_API_WEBHOOK_POLL_MS it collects newly finished REST payments and
 * refunds, then POSTs each due delivery, signed with its client's secret, and stores the attempt. A 2xx ends
 * the delivery; anything else waits the next step of PAY_API_WEBHOOK_BACKOFF_MS, and when the steps run
 * out the delivery is given up (listed, and an operator can re-send it). Every instance dispatches: each
 * delivery is claimed for one attempt before it is POSTed, so two instances never send it together.
 */
import type { Logger } from '../../logging/logger';
import type { ApiClientStore } from '../clients/api-client-store';
import { WEBHOOK_SIGNATURE_HEADER, webhookSignature } from '../signing/webhook-signature';
import { postWebhook } from './post-webhook';
import type { DueDelivery, WebhookDeliveries } from './webhook-deliveries';
import type { WebhookTargets } from './webhook-targets';
import type { WebhookEvents } from './webhook-events';

const DUE_BATCH = 50;
/** A claimed attempt belongs to its taker this long beyond the POST's timeout (recording it included). */
const CLAIM_SLACK_MS = 10_000;

export interface WebhookDispatcherOptions {
  pollMs: number;
  backoffMs: readonly number[];
  timeoutMs: number;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  // Until start(): an instance with PAY_API_ENABLED=false never dispatches, not even on an operator's re-send.
  private stopped = true;

  constructor(
    private readonly events: WebhookEvents,
    private readonly deliveries: WebhookDeliveries,
    private readonly clients: ApiClientStore,
    private readonly options: WebhookDispatcherOptions,
    private readonly targets: WebhookTargets,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a round now (after an operator's re-send) instead of at the next tick. */
  wake(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  private tick(): void {
    this.running = this.round()
      .catch((err: unknown) => this.logger.error({ err: describe(err) }, 'webhook round failed'))
      .finally(() => {
        this.running = undefined;
        this.schedule();
      });
  }

  private async round(): Promise<void> {
    const now = new Date();
    await this.events.collect(now);
    const due = await this.deliveries.due(now, DUE_BATCH);
    const until = new Date(now.getTime() + this.options.timeoutMs + CLAIM_SLACK_MS);
    await Promise.all(
      due.map(async (delivery) => {
        if (await this.deliveries.claim(delivery.id, now, until)) await this.attempt(delivery);
      }),
    );
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const at = new Date();
    const client = await this.clients.byClientId(delivery.clientId);
    let httpStatus: number | undefined;
    let error: string | undefined;
    if (!client) error = 'the API client no longer exists';
    else {
      try {
        httpStatus = await postWebhook(
          new URL(delivery.url),
          {
            'content-type': 'application/json',
            [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(delivery.body, client.secret, at),
            'Webhook-Id': String(delivery.id),
          },
          delivery.body,
          this.options.timeoutMs,
          this.targets,
        );
      } catch (err) {
        error = describe(err);
      }
    }
    const ok = httpStatus !== undefined && httpStatus >= 200 && httpStatus < 300;
    const wait = this.options.backoffMs[delivery.scheduleStep];
    const next = ok
      ? { status: 'delivered' as const, scheduleStep: delivery.scheduleStep }
      : wait === undefined
        ? { status: 'gave-up' as const, scheduleStep: delivery.scheduleStep }
        : { status: 'pending' as const, scheduleStep: delivery.scheduleStep + 1, nextAttemptAt: new Date(Date.now() + wait) };
    await this.deliveries.recordAttempt(delivery.id, { at, httpStatus, error, durationMs: Date.now() - at.getTime(), trigger: delivery.trigger }, next);
    if (next.status === 'gave-up') this.logger.warn({ deliveryId: delivery.id, httpStatus, error }, 'webhook delivery given up');
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
  return String(err);
}
