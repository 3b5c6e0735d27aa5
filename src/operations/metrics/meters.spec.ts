/** The in-process meters: what each observed event adds to which series. */
import type { ChannelOutcome, MerchantContext } from '@switch/alipay';
import { ScriptedChannel } from '../../payments/testing/scripted-channel';
import { inquiry, purchase } from '../../../tools/pos/messages';
import type { Payment } from '../../payments/domain/payment';
import { CancelDecisionsMeter } from './cancel-decisions-meter';
import { IsoReplyMeter } from './iso-reply-meter';
import { isSystemError, MeteredChannel } from './metered-channel';
import { SwitchMetrics } from './switch-metrics';

/** One sample's value; `name` may be a histogram's `_bucket`, `_count` or `_sum` series. */
async function value(
  metrics: SwitchMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    for (const v of metric.values as Array<{
      metricName?: string;
      labels: Record<string, unknown>;
      value: number;
    }>) {
      if ((v.metricName ?? metric.name) !== name) continue;
      if (Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l)) return v.value;
    }
  }
  return undefined;
}

const terminal = { terminalId: 'TERM0001', merchantId: 'MERCHANT0000001', stan: '000001', at: new Date() };
const merchant: MerchantContext = {
  merchantId: 'M',
  merchantName: 'M',
  mcc: '5812',
  storeId: 'S',
  storeName: 'S',
  terminalId: 'T',
};
const raw = (extra: Partial<NonNullable<ChannelOutcome['raw']>> = {}) => ({
  api: 'x',
  requestId: 'r',
  latencyMs: 120,
  ...extra,
});

describe('IsoReplyMeter', () => {
  it('counts replies by request MTI and code; a 91 to a purchase is a merchant timeout, to a status inquiry it is not', async () => {
    const metrics = new SwitchMetrics();
    const meter = new IsoReplyMeter(metrics);
    const sale = purchase({ ...terminal, amountMinor: 100, paymentCode: '281234567890123000' });
    meter.replied(sale, '00');
    meter.replied(sale, '00');
    meter.replied(sale, '91');
    meter.replied(inquiry({ ...terminal, originalRrn: '612345ABCDEF' }), '91');
    meter.deadlinePassed(sale);
    expect(await value(metrics, 'switch_iso_messages_total', { mti: '0200', response_code: '00' })).toBe(2);
    expect(await value(metrics, 'switch_iso_messages_total', { mti: '0200', response_code: '91' })).toBe(2);
    expect(await value(metrics, 'switch_merchant_timeouts_total', { outcome: 'answered-in-doubt' })).toBe(1);
    expect(await value(metrics, 'switch_merchant_timeouts_total', { outcome: 'reply-dropped' })).toBe(1);
  });
});

describe('MeteredChannel', () => {
  it('counts and times each call by API and outcome, and counts unknown causes, SYSTEM_ERROR and inquiries', async () => {
    const metrics = new SwitchMetrics();
    const inner = new ScriptedChannel('openapi')
      .script('pay', { kind: 'success', raw: raw() })
      .script('inquire', {
        kind: 'unknown',
        cause: 'status-unknown',
        detail: 'd',
        raw: raw({ resultCode: 'ACQ.SYSTEM_ERROR' }),
      })
      .script('refund', { kind: 'unknown', cause: 'timeout', detail: 'd', raw: raw() });
    const channel = new MeteredChannel(inner, metrics);
    const request = { paymentRequestId: 'P', merchant };
    await channel.pay({
      ...request,
      paymentCode: '28',
      amount: { amountMinor: 1, currency: 'USD' },
      subject: 's',
      terminalRequestTime: new Date(),
    });
    await channel.inquire(request);
    await channel.refund({ ...request, refundRequestId: 'R', amount: { amountMinor: 1, currency: 'USD' } });

    expect(channel.name).toBe('openapi');
    const paySuccess = { channel: 'openapi', api: 'pay', outcome: 'success' };
    expect(await value(metrics, 'switch_alipay_calls_total', paySuccess)).toBe(1);
    const bucket = (le: string) =>
      value(metrics, 'switch_alipay_call_duration_seconds_bucket', { ...paySuccess, le });
    expect(await bucket('0.25')).toBe(1);
    expect(await bucket('0.1')).toBe(0);
    expect(
      await value(metrics, 'switch_alipay_inquiries_total', { channel: 'openapi', outcome: 'unknown' }),
    ).toBe(1);
    expect(
      await value(metrics, 'switch_alipay_system_errors_total', { channel: 'openapi', api: 'inquire' }),
    ).toBe(1);
    expect(
      await value(metrics, 'switch_alipay_unknown_outcomes_total', {
        channel: 'openapi',
        api: 'refund',
        cause: 'timeout',
      }),
    ).toBe(1);
  });

  it('takes SYSTEM_ERROR codes and HTTP 5xx as system errors, nothing else', () => {
    expect(
      isSystemError({
        kind: 'unknown',
        cause: 'status-unknown',
        detail: '',
        raw: raw({ resultCode: 'SYSTEM_ERROR' }),
      }),
    ).toBe(true);
    expect(
      isSystemError({ kind: 'unknown', cause: 'http-error', detail: '', raw: raw({ httpStatus: 502 }) }),
    ).toBe(true);
    expect(isSystemError({ kind: 'unknown', cause: 'timeout', detail: '' })).toBe(false);
    expect(
      isSystemError({
        kind: 'failure',
        code: 'USER_BALANCE_NOT_ENOUGH',
        message: '',
        reason: 'insufficient-balance',
        raw: raw(),
      }),
    ).toBe(false);
  });
});

describe('CancelDecisionsMeter', () => {
  it('counts cancel decisions by reason', async () => {
    const metrics = new SwitchMetrics();
    const meter = new CancelDecisionsMeter(metrics);
    const payment = { id: 'p1', paymentRequestId: 'PR1' } as Payment;
    meter.decided(payment, 'gateway-timeout');
    meter.decided({ ...payment, id: 'p2' }, 'gateway-timeout');
    meter.decided({ ...payment, id: 'p3' }, 'terminal-reversal');
    expect(await value(metrics, 'switch_cancels_requested_total', { reason: 'gateway-timeout' })).toBe(2);
    expect(await value(metrics, 'switch_cancels_requested_total', { reason: 'terminal-reversal' })).toBe(1);
  });
});
