/**
 * The switch's Prometheus metrics, in a registry of its own (several switches may run in one test process).
 * Counters and histograms are fed in-process by small observers (ISO replies, Alipay calls, cancel
 * decisions); queue gauges are read from the database on scrape (queue-gauges.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CountCells } from './count-cells';
import { counter } from './metric-factory';

/** Latency buckets for one Alipay HTTP call (seconds): the call timeout is 5 s by default. */
const ALIPAY_CALL_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

export class SwitchMetrics {
  readonly registry = new Registry();

  /** Per-message counts by request MTI and response code, published into the counter below at scrape. */
  readonly isoReplies = new CountCells('mti', 'response_code');

  readonly isoMessages: Counter<'mti' | 'response_code'> = new Counter({
    name: 'switch_iso_messages_total',
    help: 'ISO 8583 requests answered, by request MTI and response code (field 39)',
    labelNames: ['mti', 'response_code'],
    registers: [this.registry],
    collect: (): void => this.isoReplies.publish(this.isoMessages),
  });

  readonly merchantTimeouts = counter(
    this.registry,
    'switch_merchant_timeouts_total',
    "Financial requests not settled by the terminal's merchant timeout: answered in doubt (91) or reply dropped",
    ['outcome'],
  );

  readonly alipayCalls = counter(
    this.registry,
    'switch_alipay_calls_total',
    'Alipay calls by channel, API (pay, inquire, cancel, refund) and outcome',
    ['channel', 'api', 'outcome'],
  );

  readonly alipayCallSeconds = new Histogram({
    name: 'switch_alipay_call_duration_seconds',
    help: 'Alipay call latency by channel, API and outcome',
    labelNames: ['channel', 'api', 'outcome'] as const,
    buckets: ALIPAY_CALL_BUCKETS,
    registers: [this.registry],
  });

  readonly inquiries = counter(
    this.registry,
    'switch_alipay_inquiries_total',
    'Payment inquiries sent to Alipay, by channel and outcome',
    ['channel', 'outcome'],
  );

  readonly unknownOutcomes = counter(
    this.registry,
    'switch_alipay_unknown_outcomes_total',
    'Alipay calls whose outcome is unknown (timeout, network, status-unknown, bad-signature, http-error)',
    ['channel', 'api', 'cause'],
  );

  readonly systemErrors = counter(
    this.registry,
    'switch_alipay_system_errors_total',
    'Alipay answers of SYSTEM_ERROR (AMS, MAPI; ACQ.SYSTEM_ERROR on Open Platform) or HTTP 5xx',
    ['channel', 'api'],
  );

  readonly cancelsRequested = counter(
    this.registry,
    'switch_cancels_requested_total',
    'Cancels decided, by reason (gateway-timeout, terminal-reversal, late-approval, in-doubt-on-resume, operator)',
    ['reason'],
  );

  readonly retentionPruned = counter(
    this.registry,
    'switch_retention_pruned_rows_total',
    'Rows deleted by the retention job, by table',
    ['table'],
  );

  private connectionCount: () => number = () => 0;

  readonly connectedTerminals: Gauge = new Gauge({
    name: 'switch_connected_terminals',
    help: 'Open terminal TCP connections',
    registers: [this.registry],
    collect: (): void => this.connectedTerminals.set(this.connectionCount()),
  });

  constructor() {
    // Process CPU, memory, GC and event-loop delay (nodejs_eventloop_lag_* from monitorEventLoopDelay).
    // The delay monitor is a timer that wakes the process at this interval: at 20 ms it was 50 of the
    // idle switch's 115 wake-ups a second. At 100 ms every stall of 100 ms or more is still seen, half the
    // EventLoopDelayHigh alert's 200 ms threshold.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  /** Where the connected-terminals gauge reads from at scrape (the ISO server is built outside Nest). */
  watchConnections(count: () => number): void {
    this.connectionCount = count;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
