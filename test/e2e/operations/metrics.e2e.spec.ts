/**
 * /metrics over real HTTP against the running switch (MariaDB and SQLite, embedded sandbox, in-process cancel queue):
 * a purchase, a refund and a cancel made through real POS sockets (and a cancel through the admin API) show up
 * in the counters, and the queue
 * gauges read from the database.
 */
import { Field } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { refund } from '../../../tools/pos/messages';
import { eventually, nextStan, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { buy, FAST_CANCEL_POLICY, reversalOf } from '../reversals/reversal-helpers';
import { sample, scrape, total } from './metrics-text';

const ADMIN_KEY = 'metrics-e2e-admin-bootstrap-key-0123456789';

describe.each([['MariaDB', 'mysql'] as const, ['embedded SQLite', 'sqlite'] as const])(
  'GET /metrics on the running switch (%s)',
  (_name, database) => {
    let sut: SwitchUnderTest;
    let pos: PosClient;

    beforeAll(async () => {
      sut = await startTestSwitch(database, { ...FAST_CANCEL_POLICY, ADMIN_BOOTSTRAP_KEY: ADMIN_KEY });
      pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
    });

    afterAll(async () => {
      await pos?.close();
      await sut?.stop();
    });

    it('answers Prometheus text with process metrics, event-loop delay and connected terminals', async () => {
      const { status, contentType, text } = await scrape(sut.running.httpUrl);
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/plain;.*version=0\.0\.4/);
      expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'switch_connected_terminals')).toBe(1);
      expect(sample(text, 'switch_queue_state_up')).toBe(1);
    });

    it('counts a purchase, a refund and a cancel: messages, Alipay calls with latency, cancel reasons, queue gauges', async () => {
      const before = (await scrape(sut.running.httpUrl)).text;

      const bought = await buy(pos, '000');
      expect(bought.reply.get(Field.ResponseCode)).toBe('00');
      const refunded = await pos.send(
        refund({
          ...bought.terminal,
          stan: nextStan(),
          at: new Date(),
          amountMinor: 100,
          originalRrn: bought.reply.get(Field.Rrn) ?? '',
        }),
      );
      expect(refunded.get(Field.ResponseCode)).toBe('00');
      const cancelled = await buy(pos, '000');
      expect((await pos.send(reversalOf(cancelled))).get(Field.ResponseCode)).toBe('00');
      await eventually(async () =>
        (await sandboxPayment(sut.sandboxUrl, cancelled.paymentRequestId))?.status === 'CANCELLED'
          ? true
          : undefined,
      );

      const after = await eventually(async () => {
        const { text } = await scrape(sut.running.httpUrl);
        return total(text, 'switch_cancel_jobs', { state: 'done' }) >= 1 ? text : undefined;
      });
      const grew = (name: string, labels: Record<string, string>) =>
        total(after, name, labels) - total(before, name, labels);

      expect(grew('switch_iso_messages_total', { mti: '0200', response_code: '00' })).toBe(3);
      expect(grew('switch_iso_messages_total', { mti: '0420', response_code: '00' })).toBe(1);
      expect(grew('switch_alipay_calls_total', { channel: 'ams', api: 'pay', outcome: 'success' })).toBe(2);
      expect(grew('switch_alipay_calls_total', { channel: 'ams', api: 'refund', outcome: 'success' })).toBe(
        1,
      );
      expect(grew('switch_alipay_calls_total', { channel: 'ams', api: 'cancel', outcome: 'success' })).toBe(
        1,
      );
      expect(
        grew('switch_alipay_call_duration_seconds_count', { channel: 'ams', api: 'pay', outcome: 'success' }),
      ).toBe(2);
      expect(
        grew('switch_alipay_call_duration_seconds_sum', { channel: 'ams', api: 'pay', outcome: 'success' }),
      ).toBeGreaterThan(0);
      expect(grew('switch_cancels_requested_total', { reason: 'terminal-reversal' })).toBe(1);
      expect(sample(after, 'switch_cancel_jobs', { state: 'done' })).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'switch_outbox_backlog')).toBe(0);
      expect(sample(after, 'switch_cancels_pending')).toBe(0);
      expect(sample(after, 'switch_dead_letters', { queue: 'in-process' })).toBe(0);
    });

    it('counts a cancel an operator makes through the admin API, by its reason', async () => {
      const before = (await scrape(sut.running.httpUrl)).text;
      const bought = await buy(pos, '000');
      expect(bought.reply.get(Field.ResponseCode)).toBe('00');
      const res = await fetch(
        `${sut.running.httpUrl}/admin/v1/transactions/${bought.paymentRequestId}/cancel`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify({ reason: 'customer asked at the counter' }),
        },
      );
      expect(res.status).toBe(202);
      await eventually(async () =>
        (await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status === 'CANCELLED'
          ? true
          : undefined,
      );
      const after = await eventually(async () => {
        const { text } = await scrape(sut.running.httpUrl);
        return total(text, 'switch_alipay_calls_total', {
          channel: 'ams',
          api: 'cancel',
          outcome: 'success',
        }) > total(before, 'switch_alipay_calls_total', { channel: 'ams', api: 'cancel', outcome: 'success' })
          ? text
          : undefined;
      });
      const grew = (name: string, labels: Record<string, string>) =>
        total(after, name, labels) - total(before, name, labels);
      expect(grew('switch_cancels_requested_total', { reason: 'operator' })).toBe(1);
      expect(grew('switch_alipay_calls_total', { channel: 'ams', api: 'cancel', outcome: 'success' })).toBe(
        1,
      );
      expect(grew('switch_iso_messages_total', { mti: '0200', response_code: '00' })).toBe(1);
    });

    it('counts inquiries, a merchant timeout and a gateway-timeout cancel of a payment that never completes', async () => {
      const before = (await scrape(sut.running.httpUrl)).text;
      // 003: processing until cancelled; the terminal hears 91 at its merchant timeout (4 s), the gateway
      // timeout (6 s) cancels.
      const stuck = await buy(pos, '003');
      expect(stuck.reply.get(Field.ResponseCode)).toBe('91');
      const after = await eventually(async () => {
        const { text } = await scrape(sut.running.httpUrl);
        return total(text, 'switch_cancels_requested_total', { reason: 'gateway-timeout' }) >
          total(before, 'switch_cancels_requested_total', { reason: 'gateway-timeout' })
          ? text
          : undefined;
      });
      const grew = (name: string, labels: Record<string, string>) =>
        total(after, name, labels) - total(before, name, labels);
      expect(
        grew('switch_alipay_inquiries_total', { channel: 'ams', outcome: 'processing' }),
      ).toBeGreaterThan(0);
      expect(grew('switch_merchant_timeouts_total', { outcome: 'answered-in-doubt' })).toBe(1);
      expect(grew('switch_iso_messages_total', { mti: '0200', response_code: '91' })).toBe(1);
    }, 30_000);
  },
);
