import { STATEMENT_UTC_OFFSET_MINUTES } from '@switch/alipay';
import { Field } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase, refund, reversal } from '../../../tools/pos/messages';
import {
  demoTerminal,
  DemoChannel,
  eventually,
  nextStan,
  paymentCode,
  paymentRequestIdOf,
  sandboxPayment,
} from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';
import type { ReconciliationRun } from '../../../tools/reconcile/request-runs';

/**
 * Reconciliation end to end, per channel: purchases, a refund and a reversal through real sockets, the
 * sandbox over HTTP planting one discrepancy of each kind, the files fetched the real way (AMS and MAPI
 * over SFTP, the Open Platform bill URL and its GBK zip), on MariaDB. One run finds and classifies every
 * discrepancy and gives back the orphan debits; the second run of the day finds nothing new.
 */
const CHANNELS: DemoChannel[] = ['ams', 'openapi', 'mapi'];
const ADMIN_BOOTSTRAP_KEY = 'reconciliation-e2e-bootstrap-key-0123456789';

/** A run as the admin API answers it, with its differences counted by kind. */
type RunSummary = ReconciliationRun & { byKind: Record<string, number> };

describe.each(CHANNELS)('reconciliation of a %s day', (channel) => {
  let sut: SwitchUnderTest;
  let client: PosClient;
  const terminal = demoTerminal(channel, 'ascii');

  beforeAll(async () => {
    // A roomier Alipay call timeout than the harness's 500 ms: the purchases here are set-up, not the subject.
    sut = await startTestSwitch('mysql', {
      ALIPAY_CALL_TIMEOUT_MS: '2000',
      ADMIN_BOOTSTRAP_KEY,
      // The payment marked undelivered below must still be Alipay's orphan when the day is reconciled, not
      // cancelled first by its gateway timeout (6 s in the harness) on a slow machine.
      GATEWAY_TIMEOUT_MS: '120000',
    });
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  const today = (): string =>
    new Date(Date.now() + STATEMENT_UTC_OFFSET_MINUTES[channel] * 60_000).toISOString().slice(0, 10);

  async function buy(amountMinor = 1250): Promise<{ requestId: string; rrn: string; stan: string }> {
    const stan = nextStan();
    const reply = await client.send(
      purchase({ ...terminal, stan, amountMinor, paymentCode: paymentCode('000') }),
    );
    expect(reply.get(Field.ResponseCode)).toBe('00');
    return { requestId: paymentRequestIdOf(reply), rrn: reply.get(Field.Rrn)!, stan };
  }

  async function plant(kind: string, body: object): Promise<Record<string, string>> {
    const res = await fetch(`${sut.sandboxUrl}/sandbox/statements/${kind}`, {
      method: 'POST',
      body: JSON.stringify({ protocol: channel, ...body }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, string>;
  }

  async function reconcile(): Promise<RunSummary> {
    const res = await fetch(`${sut.running.httpUrl}/admin/v1/reconciliations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_BOOTSTRAP_KEY}` },
      body: JSON.stringify({ date: today(), channel, files: 'transactions', reason: 'daily check' }),
    });
    expect(res.status).toBe(200);
    const [summary] = (await res.json()) as RunSummary[];
    return summary;
  }

  const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    sut.running.dataSource.query(sql, params);
  const stateOf = async (requestId: string): Promise<string | undefined> =>
    (
      await query<{ state: string }>('SELECT state FROM payments WHERE payment_request_id = ?', [requestId])
    )[0]?.state;

  it('finds and classifies every planted discrepancy, gives back orphan debits, and a repeat finds nothing new', async () => {
    const matched = await buy(1000);
    const amountDiffers = await buy(1100);
    const missing = await buy(1200);
    const refunded = await buy(1300);
    const refundReply = await client.send(
      refund({ ...terminal, stan: nextStan(), amountMinor: 500, originalRrn: refunded.rrn }),
    );
    expect(refundReply.get(Field.ResponseCode)).toBe('00');
    const [{ refund_request_id: refundRequestId }] = await query<{ refund_request_id: string }>(
      'SELECT r.refund_request_id FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.payment_request_id = ?',
      [refunded.requestId],
    );
    // Cancelled by the switch (a terminal reversal), then Alipay's side shows it paid again.
    const revived = await buy(1400);
    await client.send(reversal({ ...terminal, originalStan: revived.stan, amountMinor: 1400 }));
    await eventually(async () => ((await stateOf(revived.requestId)) === 'CANCELLED' ? true : undefined));
    // Approved at Alipay, but (as after a crash) the switch never saw the approval delivered.
    const undelivered = await buy(1500);
    // The switch records the delivery just after the 00 is written; the mark must come after that record,
    // or the record (re-applied to the fresh row after its version conflict) overwrites it.
    const deliveryRecorded = (requestId: string) =>
      eventually(async () => {
        const [row] = await query<{ delivery: string }>(
          'SELECT delivery FROM payments WHERE payment_request_id = ?',
          [requestId],
        );
        return row?.delivery === 'delivered' ? true : undefined;
      });
    await deliveryRecorded(undelivered.requestId);
    await query(
      "UPDATE payments SET delivery = 'undelivered', version = version + 1 WHERE payment_request_id = ?",
      [undelivered.requestId],
    );
    // Approved, its delivery never recorded (the process died after writing the 00): it counts as
    // delivered, so the money Alipay holds for it is the switch's too, not an orphan to give back.
    const unrecorded = await buy(1600);
    await deliveryRecorded(unrecorded.requestId);
    await query(
      "UPDATE payments SET delivery = 'pending', version = version + 1 WHERE payment_request_id = ?",
      [unrecorded.requestId],
    );

    await plant('amount', { id: amountDiffers.requestId, amountMinor: 1111 });
    await plant('drop', { id: missing.requestId });
    await plant('refund-amount', { refundRequestId, amountMinor: 400 });
    await plant('revive', { id: revived.requestId });
    const { id: neverStored } = await plant('unknown-payment', { amountMinor: 990, currency: 'USD' });

    const first = await reconcile();
    expect(first).toMatchObject({ outcome: 'completed' });
    expect(first.byKind).toEqual({
      'orphan-debit': 3,
      'missing-at-alipay': 1,
      'amount-mismatch': 1,
      'refund-difference': 1,
      'unreadable-line': 0,
      'settlement-totals': 0,
    });
    const find = (kind: string, reference: string) =>
      first.differences.find((d) => d.kind === kind && d.reference === reference);
    expect(find('amount-mismatch', amountDiffers.requestId)).toMatchObject({
      switchSide: 'APPROVED delivered 1100 USD',
      alipaySide: 'paid 1111 USD',
    });
    expect(find('missing-at-alipay', missing.requestId)).toMatchObject({ alipaySide: 'none' });
    expect(find('refund-difference', refundRequestId)).toMatchObject({
      switchSide: 'SUCCEEDED 500 USD',
      alipaySide: 'refunded 400 USD',
    });
    expect(find('orphan-debit', neverStored)?.resolution).toMatch(/^fixed: cancelled at Alipay/);
    expect(find('orphan-debit', revived.requestId)?.resolution).toMatch(/^fixed: cancelled at Alipay/);
    expect(find('orphan-debit', undelivered.requestId)?.resolution).toBe(
      'fixed: cancelled through the cancel path',
    );
    expect(first.orphansFixed).toBe(3);
    expect(first.paymentsMatched).toBeGreaterThanOrEqual(1);
    expect(first.refundsMatched).toBe(0);
    expect(find('amount-mismatch', matched.requestId)).toBeUndefined();
    expect(first.differences.filter((d) => d.reference === unrecorded.requestId)).toEqual([]);
    expect(await stateOf(unrecorded.requestId)).toBe('APPROVED');

    // The orphan debits ended cancelled at Alipay within the run.
    for (const id of [neverStored, revived.requestId, undelivered.requestId])
      expect((await sandboxPayment(sut.sandboxUrl, id))?.status).toBe('CANCELLED');
    expect(await stateOf(undelivered.requestId)).toBe('CANCELLED');
    const history = await query<{ detail: string }>(
      'SELECT e.detail FROM payment_events e JOIN payments p ON p.id = e.payment_id WHERE p.payment_request_id = ?',
      [revived.requestId],
    );
    expect(history.some((h) => /reconciliation: Alipay held 1400 USD/.test(h.detail ?? ''))).toBe(true);

    // Each difference that needs people is on the manual-intervention list once, with both sides' figures.
    const manual = await query<{ payment_request_id: string; detail: string }>(
      "SELECT payment_request_id, detail FROM manual_interventions WHERE reason = 'reconciliation'",
    );
    expect(manual.map((m) => m.payment_request_id).sort()).toEqual(
      [amountDiffers.requestId, missing.requestId, refundRequestId].sort(),
    );
    expect(manual.find((m) => m.payment_request_id === amountDiffers.requestId)?.detail).toMatch(
      /amount-mismatch: switch APPROVED delivered 1100 USD; Alipay paid 1111 USD/,
    );

    const callsBefore = (await sandboxPayment(sut.sandboxUrl, neverStored))?.calls.length;
    const second = await reconcile();
    expect(second.differencesNew).toBe(0);
    expect(second.orphansFixed).toBe(0);
    expect(second.byKind['orphan-debit']).toBe(0);
    expect(second.differencesFound).toBe(3);
    expect((await sandboxPayment(sut.sandboxUrl, neverStored))?.calls.length).toBe(callsBefore);
    expect(await query("SELECT id FROM manual_interventions WHERE reason = 'reconciliation'")).toHaveLength(
      3,
    );
    expect(await query('SELECT id FROM reconciliation_differences')).toHaveLength(6);

    const runs = (
      (await (
        await fetch(`${sut.running.httpUrl}/admin/v1/reconciliations?channel=${channel}`, {
          headers: { authorization: `Bearer ${ADMIN_BOOTSTRAP_KEY}` },
        })
      ).json()) as { items: RunSummary[] }
    ).items;
    // A run is an audited operator write, and nothing under /admin/v1 answers without a key.
    expect((await fetch(`${sut.running.httpUrl}/admin/v1/reconciliations`)).status).toBe(401);
    const audit = await query<{ action: string }>(
      "SELECT action FROM admin_audit WHERE action = 'reconciliation.run'",
    );
    expect(audit).toHaveLength(2);
    expect(runs).toHaveLength(2);
    expect(runs[0].files).toContain(
      channel === 'openapi' ? 'trade bill' : channel === 'ams' ? 'transactionItems_' : '_transaction_',
    );
  });
});
