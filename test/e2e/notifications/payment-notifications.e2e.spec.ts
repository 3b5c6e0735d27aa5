import { Field } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase, reversal } from '../../../tools/pos/messages';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';
import { NotificationListener } from '../../../src/notifications/notification-listener';
import type { LoggedNotification } from '../../../src/notifications/notification-log';
import {
  notificationsOf,
  notifyingEnv,
  paymentRow,
  purchaseInDoubt,
  REPLIES,
  sendNotification,
  stateChanges,
} from './notify-helpers';

const CHANNELS = ['ams', 'openapi', 'mapi'] as const;

describe('Alipay payment notifications through the switch listener (MariaDB)', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', await notifyingEnv());
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  describe.each(CHANNELS)('%s', (channel) => {
    it('refuses forged and mismatching notifications, then settles the payment in doubt on a valid one before any inquiry; the waiting terminal gets 00', async () => {
      // 003: the user never confirms, so only a notification can settle it before the inquiries start.
      const { answer, row } = await purchaseInDoubt(sut, client, demoTerminal(channel, 'ascii', 0), 2500);
      const id = row.paymentRequestId;

      for (const kind of ['bad-signature', 'wrong-amount', 'wrong-currency', 'unknown-payment'] as const) {
        const [sent] = await sendNotification(sut.sandboxUrl, channel, id, kind);
        expect({ kind, outcome: sent.outcome }).toEqual({ kind, outcome: 'rejected' });
        expect(sent.httpStatus).not.toBe(200);
        expect(sent.reply).toMatch(REPLIES[channel].fail);
        expect((await paymentRow(sut, { id: row.id }))?.state).toBe('AWAITING_ALIPAY');
      }

      const [valid] = await sendNotification(sut.sandboxUrl, channel, id, 'valid');
      expect(valid.outcome).toBe('acknowledged');
      expect(valid.reply).toMatch(REPLIES[channel].ok);
      const reply = await answer;
      expect(reply.get(Field.ResponseCode)).toBe('00');
      const ledger = await sandboxPayment(sut.sandboxUrl, id);
      // Settled by the notification: the switch never had to ask.
      expect(ledger?.calls.map((c) => c.api).filter((api) => /inquir|query/i.test(api))).toEqual([]);
      expect((await paymentRow(sut, { id: row.id }))?.state).toBe('APPROVED');

      const logged = await fetchLog(sut, channel);
      expect(
        logged
          .filter((e) => e.paymentRequestId === id || e.outcome === 'unknown-payment')
          .map((e) => e.outcome),
      ).toEqual(expect.arrayContaining(['applied', 'amount-mismatch', 'unknown-payment', 'refused']));
    });

    it('answers duplicates as the first and lets no late notification undo a reversal', async () => {
      const terminal = demoTerminal(channel, 'ascii', 1);
      const stan = nextStan();
      const reply = await client.send(
        purchase({ ...terminal, stan, amountMinor: 700, paymentCode: paymentCode('000') }),
      );
      expect(reply.get(Field.ResponseCode)).toBe('00');
      const row = (await paymentRow(sut, { terminalId: terminal.terminalId, stan }))!;
      const id = row.paymentRequestId;
      // The regular series already reported the success once (attempt 1 at once, acknowledged).
      await eventually(async () =>
        (await notificationsOf(sut.sandboxUrl, id)).length > 0 ? true : undefined,
      );
      const before = await stateChanges(sut, row.id);

      const duplicates = await sendNotification(sut.sandboxUrl, channel, id, 'duplicate');
      expect(duplicates.map((d) => d.outcome)).toEqual(['acknowledged', 'acknowledged']);
      expect(duplicates.map((d) => d.reply)).toEqual([duplicates[0].reply, duplicates[0].reply]);
      expect(await stateChanges(sut, row.id)).toEqual(before);
      // Judged from the copy this instance wrote (no read): the log row still finds the first answer.
      const logged = (await fetchLog(sut, channel)).filter((e) => e.paymentRequestId === id).reverse();
      const resent = logged.filter((e) => e.notifyId === logged[logged.length - 1].notifyId);
      expect(resent.map((e) => e.duplicate)).toEqual([false, ...resent.slice(1).map(() => true)]);
      expect(resent.length).toBeGreaterThanOrEqual(2);
      expect(new Set(resent.map((e) => `${e.outcome} ${e.replyStatus} ${e.paymentId}`)).size).toBe(1);

      const reversed = await client.send(reversal({ ...terminal, originalStan: stan, amountMinor: 700 }));
      expect(reversed.get(Field.ResponseCode)).toBe('00');
      await eventually(async () =>
        (await paymentRow(sut, { id: row.id }))?.state === 'CANCELLED' ? true : undefined,
      );
      const [late] = await sendNotification(sut.sandboxUrl, channel, id, 'delayed', 200);
      expect(late.outcome).toBe('acknowledged');
      // A success reported after CANCELLED orders a new cancel (Alipay may hold money after all); the
      // payment still ends CANCELLED.
      // (Open Platform and MAPI replay the success; the AMS sandbox reports the payment as it is now.)
      const changes = await eventually(async () => {
        const now = await paymentRow(sut, { id: row.id });
        const all = await stateChanges(sut, row.id);
        return now?.state === 'CANCELLED' && all[all.length - 1] === 'CANCELLED' ? all : undefined;
      });
      const sinceCancelled = changes.slice(changes.indexOf('CANCELLED'));
      expect(sinceCancelled.every((s) => s === 'CANCEL_REQUESTED' || s === 'CANCELLED')).toBe(true);
    });

    it("the sandbox's retries stop once the switch gives the right reply", async () => {
      const terminal = demoTerminal(channel, 'ascii', 2);
      const stan = nextStan();
      const reply = await client.send(
        purchase({ ...terminal, stan, amountMinor: 333, paymentCode: paymentCode('000') }),
      );
      expect(reply.get(Field.ResponseCode)).toBe('00');
      const id = (await paymentRow(sut, { terminalId: terminal.terminalId, stan }))!.paymentRequestId;
      const first = await eventually(async () => {
        const sent = await notificationsOf(sut.sandboxUrl, id);
        return sent.length > 0 ? sent : undefined;
      });
      expect(first[0]).toMatchObject({ attempt: 1, outcome: 'acknowledged' });
      // The scaled schedule's next three attempts would fall within 1.4 s.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await notificationsOf(sut.sandboxUrl, id)).toHaveLength(1);
    });
  });

  it("the sandbox retries while the switch's listener is down and stops at the first right reply", async () => {
    const listener = sut.running.app.get(NotificationListener);
    await listener.close();
    const terminal = demoTerminal('openapi', 'ascii', 4);
    const stan = nextStan();
    try {
      const reply = await client.send(
        purchase({ ...terminal, stan, amountMinor: 444, paymentCode: paymentCode('000') }),
      );
      expect(reply.get(Field.ResponseCode)).toBe('00');
      const id = (await paymentRow(sut, { terminalId: terminal.terminalId, stan }))!.paymentRequestId;
      // Scaled schedule: attempts at 0, 120, 720 and 1320 ms; the first two find nobody listening.
      await eventually(
        async () => ((await notificationsOf(sut.sandboxUrl, id)).length >= 2 ? true : undefined),
        5_000,
        20,
      );
      await listener.listen();
      await eventually(async () =>
        (await notificationsOf(sut.sandboxUrl, id)).some((n) => n.outcome === 'acknowledged')
          ? true
          : undefined,
      );
      // Longer than the scaled wait after any attempt up to the fourth (3.6 s): a further attempt would show.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const outcomes = (await notificationsOf(sut.sandboxUrl, id)).map((n) => n.outcome);
      expect(outcomes.slice(0, 2)).toEqual(['failed', 'failed']);
      expect(outcomes.at(-1)).toBe('acknowledged');
      expect(outcomes.filter((o) => o === 'acknowledged')).toHaveLength(1);
      expect(outcomes.slice(0, -1).every((o) => o === 'failed')).toBe(true);
    } finally {
      if (listener.port() === 0) await listener.listen();
    }
  });

  it('refuses oversized bodies, wrong content types and other methods with the protocol failure reply', async () => {
    const base = `http://127.0.0.1:${sut.config.notifications.port}/notifications`;
    const big = await fetch(`${base}/ams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'client-id': 'X' },
      body: 'x'.repeat(200_000),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toMatch(REPLIES.ams.fail);
    const form = await fetch(`${base}/openapi`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
    expect(await form.text()).toBe('fail');
    expect((await fetch(`${base}/mapi`)).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`, { method: 'POST' })).status).toBe(404);
  });

  it('takes a genuine notification in while a flood of forged ones is refused', async () => {
    const { answer, row } = await purchaseInDoubt(sut, client, demoTerminal('ams', 'ascii', 3), 4200);
    const url = `http://127.0.0.1:${sut.config.notifications.port}/notifications/ams`;
    const forged = Array.from({ length: 300 }, (_, i) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'client-id': i % 2 === 0 ? 'SANDBOX_5Y00000000000001' : `FORGED${i}`,
          'request-time': new Date().toISOString(),
          signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA',
        },
        body: JSON.stringify({
          notifyType: 'PAYMENT_RESULT',
          result: { resultCode: 'SUCCESS', resultStatus: 'S' },
          paymentRequestId: row.paymentRequestId,
          paymentAmount: { currency: 'USD', value: '4200' },
        }),
      }).then((r) => r.status),
    );
    const [valid] = await sendNotification(sut.sandboxUrl, 'ams', row.paymentRequestId, 'valid');
    expect(valid.outcome).toBe('acknowledged');
    expect((await answer).get(Field.ResponseCode)).toBe('00');
    const statuses = await Promise.all(forged);
    expect(statuses.every((s) => s === 401)).toBe(true);
  });
});

async function fetchLog(sut: SwitchUnderTest, channel: string): Promise<LoggedNotification[]> {
  const { NotificationLog } = await import('../../../src/notifications/notification-log');
  return sut.running.app.get(NotificationLog).list({ channel: channel as 'ams' });
}
