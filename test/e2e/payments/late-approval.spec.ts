import { Field } from '@switch/iso8583';
import { PaymentEntity, PaymentEventEntity } from '../../../src/persistence/entities';
import { PosClient } from '../../../tools/pos/pos-client';
import { purchase } from '../../../tools/pos/messages';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

describe('an approval the terminal never received (MariaDB)', () => {
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    sut = await startTestSwitch('mysql');
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('is cancelled at the gateway timeout when the terminal hung up before the reply', async () => {
    const terminal = demoTerminal('openapi', 'ascii', 2);
    const stan = nextStan();
    const client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 5_000 });
    // The user confirms on the phone after two inquiries; the terminal gives up before that.
    const pending = client.send(purchase({ ...terminal, stan, amountMinor: 4321, paymentCode: paymentCode('001') })).catch((e: Error) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.close();
    expect(await pending).toBeInstanceOf(Error);

    const payments = sut.running.dataSource.getRepository(PaymentEntity);
    const approved = await eventually(async () => {
      const row = await payments.findOneBy({ terminalId: terminal.terminalId, stan });
      return row?.state === 'APPROVED' ? row : undefined;
    });
    expect(approved.delivery).not.toBe('delivered');
    expect((await sandboxPayment(sut.sandboxUrl, approved.paymentRequestId))?.status).toBe('SUCCESS');

    const cancelled = await eventually(async () => {
      const row = await payments.findOneBy({ id: approved.id });
      return row?.state === 'CANCELLED' ? row : undefined;
    });
    expect(cancelled.cancelReason).toBeTruthy();
    const ledger = await eventually(async () => {
      const view = await sandboxPayment(sut.sandboxUrl, approved.paymentRequestId);
      return view?.status === 'CANCELLED' ? view : undefined;
    });
    expect(ledger.calls.some((c) => /cancel/i.test(c.api))).toBe(true);
    const history = await sut.running.dataSource.getRepository(PaymentEventEntity).find({ where: { paymentId: approved.id }, order: { id: 'ASC' } });
    expect(history.map((e) => e.toState).filter(Boolean)).toEqual(expect.arrayContaining(['APPROVED', 'CANCEL_REQUESTED', 'CANCELLED']));
  });

  it('still answers the next terminal normally', async () => {
    const client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 5_000 });
    const reply = await client.send(purchase({ ...demoTerminal('openapi', 'ascii', 3), stan: nextStan(), amountMinor: 10, paymentCode: paymentCode('000') }));
    await client.close();
    expect(reply.get(Field.ResponseCode)).toBe('00');
  });
});
