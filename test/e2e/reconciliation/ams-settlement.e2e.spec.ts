import { Field } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import {
  demoTerminal,
  nextStan,
  paymentCode,
  paymentRequestIdOf,
  sandboxPayment,
} from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';
import type { ReconciliationRun } from '../../../tools/reconcile/request-runs';

/**
 * AMS settlement reports end to end: the sandbox settles the day from its ledger into settlementItems and
 * settlementSummary files on its SFTP server (names carrying the batch id, found by listing the day's
 * directory); the switch reads them over real SFTP, matches every settled transaction with its approved
 * payments, and checks the items against the summary's TOTAL. Planted: a settled amount that differs, a
 * transaction left out, a settled payment the switch never stored, a TOTAL that does not add up.
 */
const ADMIN_KEY = 'ams-settlement-e2e-bootstrap-key-0123456789';

/** A run as the admin API answers it, with its differences counted by kind. */
type Run = ReconciliationRun & { byKind: Record<string, number> };

describe('AMS settlement files (sandbox SFTP, MariaDB)', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;
  const terminal = demoTerminal('ams', 'ascii');
  const today = (): string => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', { ALIPAY_CALL_TIMEOUT_MS: '2000', ADMIN_BOOTSTRAP_KEY: ADMIN_KEY });
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  async function buy(amountMinor: number): Promise<string> {
    const reply = await client.send(
      purchase({ ...terminal, stan: nextStan(), amountMinor, paymentCode: paymentCode('000') }),
    );
    expect(reply.get(Field.ResponseCode)).toBe('00');
    return paymentRequestIdOf(reply);
  }

  async function plant(kind: string, body: object): Promise<Record<string, string>> {
    const res = await fetch(`${sut.sandboxUrl}/sandbox/statements/${kind}`, {
      method: 'POST',
      body: JSON.stringify({ protocol: 'ams', ...body }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, string>;
  }

  async function reconcile(body: object): Promise<{ status: number; runs: Run[] }> {
    const res = await fetch(`${sut.running.httpUrl}/admin/v1/reconciliations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ date: today(), reason: 'settlement check', ...body }),
    });
    return { status: res.status, runs: res.status === 200 ? ((await res.json()) as Run[]) : [] };
  }

  it('finds every planted settlement difference over SFTP, gives back the orphan, and a repeat changes nothing', async () => {
    const matched = await buy(1000);
    const amountDiffers = await buy(1100);
    const missing = await buy(1200);
    await plant('amount', { id: amountDiffers, amountMinor: 1111 });
    await plant('drop', { id: missing });
    const { id: neverStored } = await plant('unknown-payment', { amountMinor: 990, currency: 'USD' });
    await plant('settlement-total', { day: today(), amountMinor: 7 });

    const first = await reconcile({ channel: 'ams', files: 'settlement' });
    expect(first.status).toBe(200);
    expect(first.runs).toHaveLength(1);
    const [run] = first.runs;
    expect(run).toMatchObject({ fileKind: 'settlement', outcome: 'completed' });
    expect(run.files).toMatch(/settlementSummary_USD_\d{19}_000\.csv .*settlementItems_USD_\d{19}_000\.csv/);
    expect(run.byKind).toEqual({
      'orphan-debit': 1,
      'missing-at-alipay': 1,
      'amount-mismatch': 1,
      'refund-difference': 0,
      'unreadable-line': 0,
      'settlement-totals': 1,
    });
    const find = (kind: string) => run.differences.find((d) => d.kind === kind);
    expect(find('amount-mismatch')).toMatchObject({
      reference: amountDiffers,
      switchSide: 'APPROVED delivered 1100 USD',
      alipaySide: 'paid 1111 USD',
    });
    expect(find('missing-at-alipay')).toMatchObject({ reference: missing, alipaySide: 'none' });
    expect(find('orphan-debit')).toMatchObject({ reference: neverStored, switchSide: 'never stored' });
    expect(find('orphan-debit')?.resolution).toMatch(/^fixed: cancelled at Alipay/);
    // The items add up to 1000 + 1111 + 990 (the dropped one is not there); the TOTAL says 7 more.
    expect(find('settlement-totals')).toMatchObject({
      switchSide: 'items add up to 3 items, 3101 USD',
      alipaySide: 'summary TOTAL 3 items, 3108 USD',
    });
    expect(run.paymentsMatched).toBeGreaterThanOrEqual(1);
    expect(run.differences.some((d) => d.reference === matched)).toBe(false);
    expect((await sandboxPayment(sut.sandboxUrl, neverStored))?.status).toBe('CANCELLED');

    const manual = await sut.running.dataSource.query<{ payment_request_id: string; detail: string }[]>(
      "SELECT payment_request_id, detail FROM manual_interventions WHERE reason = 'reconciliation'",
    );
    expect(manual.map((m) => m.payment_request_id).sort()).toEqual(
      [amountDiffers, missing, find('settlement-totals')!.reference].sort(),
    );
    expect(manual.find((m) => m.payment_request_id === amountDiffers)?.detail).toMatch(
      /^ams \d{4}-\d{2}-\d{2} settlement amount-mismatch: /,
    );

    // The repeat reads the files again (the orphan now settled and given back): nothing new, nothing called.
    const callsBefore = (await sandboxPayment(sut.sandboxUrl, neverStored))?.calls.length;
    const second = (await reconcile({ channel: 'ams', files: 'settlement' })).runs[0];
    expect(second).toMatchObject({ outcome: 'completed', differencesNew: 0, orphansFixed: 0 });
    expect(second.byKind['orphan-debit']).toBe(0);
    expect(second.differencesFound).toBe(3);
    expect((await sandboxPayment(sut.sandboxUrl, neverStored))?.calls.length).toBe(callsBefore);
    const stored = await sut.running.dataSource.query<{ file_kind: string }[]>(
      'SELECT file_kind FROM reconciliation_differences',
    );
    expect(stored.map((d) => d.file_kind)).toEqual(Array(4).fill('settlement'));
    const listed = (await (
      await fetch(`${sut.running.httpUrl}/admin/v1/reconciliations?channel=ams`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      })
    ).json()) as { items: Run[] };
    expect(listed.items.map((r) => r.fileKind)).toEqual(['settlement', 'settlement']);
  });

  it('runs both AMS file kinds when none is named, and refuses settlement for a channel without it', async () => {
    const both = await reconcile({ channel: 'ams' });
    expect(both.status).toBe(200);
    expect(both.runs.map((r) => [r.fileKind, r.outcome])).toEqual([
      ['transactions', 'completed'],
      ['settlement', 'completed'],
    ]);
    expect((await reconcile({ channel: 'mapi', files: 'settlement' })).status).toBe(400);
  });
});
