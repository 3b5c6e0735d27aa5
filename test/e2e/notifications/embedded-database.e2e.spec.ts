import { Field } from '@switch/iso8583';
import { NotificationLog } from '../../../src/notifications/notification-log';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { demoTerminal, eventually, nextStan, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';
import { notifyingEnv, purchaseInDoubt, sendNotification } from './notify-helpers';

// `npm start` runs on the embedded SQLite: the notification log and the ISV tokens must work there too.
describe('notifications and ISV tokens on the embedded SQLite', () => {
  let sut: SwitchUnderTest;
  let client: PosClient;

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite', await notifyingEnv());
    client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sut?.stop();
  });

  it('settles a payment in doubt from a MAPI notification and logs it', async () => {
    const { answer, row } = await purchaseInDoubt(sut, client, demoTerminal('mapi', 'ascii', 0), 900);
    const [sent] = await sendNotification(sut.sandboxUrl, 'mapi', row.paymentRequestId, 'valid');
    expect(sent).toMatchObject({ outcome: 'acknowledged', reply: 'success' });
    expect((await answer).get(Field.ResponseCode)).toBe('00');
    const [entry] = await sut.running.app.get(NotificationLog).list({ channel: 'mapi', limit: 1 });
    expect(entry).toMatchObject({
      outcome: 'applied',
      verification: 'valid',
      paymentRequestId: row.paymentRequestId,
      duplicate: false,
    });
    // A resend of the same notify id is logged as the duplicate of the first answer.
    const twice = await sendNotification(sut.sandboxUrl, 'mapi', row.paymentRequestId, 'duplicate');
    expect(twice.map((t) => t.reply)).toEqual(['success', 'success']);
    const logged = await sut.running.app
      .get(NotificationLog)
      .list({ channel: 'mapi', paymentRequestId: row.paymentRequestId });
    const resent = logged.filter((e) => logged.filter((o) => o.notifyId === e.notifyId).length === 2).reverse();
    expect(resent.map((e) => [e.outcome, e.duplicate, e.paymentId])).toEqual([
      ['ignored', false, row.id],
      ['ignored', true, row.id],
    ]);
  });

  it('authorizes and withdraws an ISV merchant', async () => {
    const buy = async (): Promise<string | undefined> =>
      (
        await client.send(
          purchase({
            terminalId: 'TERM0041',
            merchantId: 'MERCHANT0000005',
            stan: nextStan(),
            amountMinor: 100,
            paymentCode: paymentCode('000'),
          }),
        )
      ).get(Field.ResponseCode);
    const isv = async (action: string): Promise<void> => {
      const before = await sent();
      await fetch(`${sut.sandboxUrl}/sandbox/isv/${action}`, {
        method: 'POST',
        body: JSON.stringify({
          protocol: 'ams',
          merchant: 'SANDBOX_5Y00000000000005',
          notifyUrl: `http://127.0.0.1:${sut.config.notifications.port}/notifications/ams`,
        }),
      });
      await eventually(async () => ((await sent()) > before ? true : undefined));
    };
    const sent = async (): Promise<number> =>
      ((await (await fetch(`${sut.sandboxUrl}/sandbox/isv`)).json()) as { notifications: unknown[] })
        .notifications.length;
    expect(await buy()).toBe('58');
    await isv('authorize');
    expect(await buy()).toBe('00');
    await isv('revoke');
    expect(await buy()).toBe('58');
  });
});
