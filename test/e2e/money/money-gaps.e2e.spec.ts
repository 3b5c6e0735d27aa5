import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { Field, type IsoMessage } from '@switch/iso8583';
import { PosClient } from '../../../tools/pos/pos-client';
import { inquiry, purchase, refund, reversal } from '../../../tools/pos/messages';
import { demoTerminal, eventually, nextStan, paymentCode, paymentRequestIdOf, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';

/**
 * Where money is decided, proved from outside: real sockets, MariaDB, the sandbox over HTTP. Rows are read
 * with plain SQL so these tests hold whatever shape the code behind them takes.
 */

interface PaymentRow {
  state: string;
  delivery: string | null;
  payment_request_id: string;
  refunded_minor: number;
  reserved_refund_minor: number;
}

async function paymentRow(db: Connection, terminalId: string, stan: string): Promise<PaymentRow | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT state, delivery, payment_request_id, refunded_minor, reserved_refund_minor FROM payments WHERE terminal_id = ? AND stan = ?',
    [terminalId, stan],
  );
  return rows[0] as PaymentRow | undefined;
}

const payCalls = (calls: Array<{ api: string }>) => calls.filter((c) => /pay$|spot\.pay|trade\.pay/i.test(c.api)).length;
const code = (reply: IsoMessage) => reply.get(Field.ResponseCode);

describe('money decisions through real parts (MariaDB, sandbox over HTTP)', () => {
  let sut: SwitchUnderTest;
  let db: Connection;
  const clients: PosClient[] = [];
  const connect = async () => {
    const client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', { CANCEL_RETRY_INTERVAL_MS: '200', CANCEL_BACKOFF_MS: '200,200,200,200' });
    db = await createConnection(sut.db.config.url!);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await db?.end();
    await sut?.stop();
  });

  it('refunds from a terminal: partial refunds add up, and never beyond the payment', async () => {
    const terminal = demoTerminal('ams', 'ascii', 0);
    const [a, b] = [await connect(), await connect()];
    const paid = await a.send(purchase({ ...terminal, stan: nextStan(), amountMinor: 1_000, paymentCode: paymentCode('000') }));
    expect(code(paid)).toBe('00');
    const rrn = paid.get(Field.Rrn)!;

    const first = await a.send(refund({ ...terminal, stan: nextStan(), amountMinor: 300, originalRrn: rrn }));
    expect(code(first)).toBe('00');

    // 700 is left: two refunds of 500 sent at once on two connections would together exceed it.
    const racing = await Promise.all([
      a.send(refund({ ...terminal, stan: nextStan(), amountMinor: 500, originalRrn: rrn })),
      b.send(refund({ ...terminal, stan: nextStan(), amountMinor: 500, originalRrn: rrn })),
    ]);
    expect(racing.map(code).sort()).toEqual(['00', '13']);

    const ledger = await sandboxPayment(sut.sandboxUrl, paymentRequestIdOf(paid));
    expect(ledger?.refundedMinor).toBe(800);
    const row = await eventually(async () => {
      const r = await paymentRow(db, terminal.terminalId, paid.get(Field.Stan)!);
      return r && Number(r.reserved_refund_minor) === 0 ? r : undefined;
    });
    expect(Number(row.refunded_minor)).toBe(800);

    // What is left can still be refunded, and not a minor unit more.
    expect(code(await a.send(refund({ ...terminal, stan: nextStan(), amountMinor: 201, originalRrn: rrn })))).toBe('13');
    expect(code(await a.send(refund({ ...terminal, stan: nextStan(), amountMinor: 200, originalRrn: rrn })))).toBe('00');
    expect((await sandboxPayment(sut.sandboxUrl, paymentRequestIdOf(paid)))?.refundedMinor).toBe(1_000);
  });

  it('keeps a decided cancel when Alipay still reports the payment a success', async () => {
    // 006: paid at once; the first cancel calls answer unknown, so Alipay says SUCCESS after the cancel is decided.
    const terminal = demoTerminal('ams', 'ascii', 1);
    const client = await connect();
    const stan = nextStan();
    const paid = await client.send(purchase({ ...terminal, stan, amountMinor: 2_500, paymentCode: paymentCode('006') }));
    expect(code(paid)).toBe('00');
    const reversed = await client.send(reversal({ ...terminal, originalStan: stan, amountMinor: 2_500 }));
    expect(code(reversed)).toBe('00');

    // While Alipay still holds the money, the terminal's status inquiry reports the cancel, never the approval.
    const status = await client.send(inquiry({ ...terminal, stan: nextStan(), originalRrn: paid.get(Field.Rrn)! }));
    expect(code(status)).not.toBe('00');

    const id = paymentRequestIdOf(paid);
    await eventually(async () => ((await sandboxPayment(sut.sandboxUrl, id))?.status === 'CANCELLED' ? true : undefined), 20_000);
    const row = await eventually(async () => {
      const r = await paymentRow(db, terminal.terminalId, stan);
      return r?.state === 'CANCELLED' ? r : undefined;
    });
    expect(row.state).toBe('CANCELLED');
    const ledger = await sandboxPayment(sut.sandboxUrl, id);
    expect(ledger?.calls.filter((c) => /cancel/i.test(c.api)).length).toBeGreaterThan(1);
    expect(payCalls(ledger!.calls)).toBe(1);
  }, 40_000);

  it('answers a retransmitted in-doubt (004) purchase with the original answer, after one pay call', async () => {
    // 004: the pay call gets no HTTP answer in time, yet the payment succeeded at Alipay.
    const terminal = demoTerminal('ams', 'ascii', 2);
    const [a, b] = [await connect(), await connect()];
    const request = purchase({ ...terminal, stan: nextStan(), amountMinor: 4_004, paymentCode: paymentCode('004') });
    const repeat = request.clone();
    repeat.mti = '0201';
    const [first, again] = await Promise.all([a.send(request), new Promise((r) => setTimeout(r, 100)).then(() => b.send(repeat))]);
    expect(code(first)).toBe('00');
    for (const field of [Field.ResponseCode, Field.Rrn, Field.AuthorizationCode, 63]) expect(again.get(field)).toBe(first.get(field));
    const ledger = await sandboxPayment(sut.sandboxUrl, paymentRequestIdOf(first));
    expect(ledger?.status).toBe('SUCCESS');
    expect(payCalls(ledger!.calls)).toBe(1);
  });
});

describe('an approval that arrives after the terminal was answered 91 (MariaDB)', () => {
  let sut: SwitchUnderTest;
  let db: Connection;

  beforeAll(async () => {
    // 001 confirms at the third inquiry: with inquiries 2.5 s apart that is at 7.5 s, well after the 4 s
    // merchant timeout (so the terminal's answer is 91 even on a loaded machine) and before the 12 s gateway
    // timeout (so the approval is learned, then cancelled as undelivered).
    sut = await startTestSwitch('mysql', { AMS_INQUIRY_INTERVAL_MS: '2500', GATEWAY_TIMEOUT_MS: '12000' });
    db = await createConnection(sut.db.config.url!);
  });

  afterAll(async () => {
    await db?.end();
    await sut?.stop();
  });

  it('is cancelled at Alipay while the terminal, still connected, keeps its 91 and gets nothing else', async () => {
    const terminal = demoTerminal('ams', 'ascii', 3);
    const client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 10_000 });
    const stan = nextStan();
    const reply = await client.send(purchase({ ...terminal, stan, amountMinor: 9_100, paymentCode: paymentCode('001') }));
    // The switch's log comes with a wrong answer: this is about timing, and the log says which step ran when.
    expect({ code: code(reply), log: code(reply) === '91' ? [] : sut.logs }).toEqual({ code: '91', log: [] });

    const approved = await eventually(async () => {
      const r = await paymentRow(db, terminal.terminalId, stan);
      return r && r.state !== 'AWAITING_ALIPAY' && r.state !== 'RECEIVED' ? r : undefined;
    });
    expect(approved.delivery).not.toBe('delivered');
    const cancelled = await eventually(async () => {
      const r = await paymentRow(db, terminal.terminalId, stan);
      return r?.state === 'CANCELLED' ? r : undefined;
    }, 20_000);
    const ledger = await eventually(async () => {
      const view = await sandboxPayment(sut.sandboxUrl, cancelled.payment_request_id);
      return view?.status === 'CANCELLED' ? view : undefined;
    }, 20_000);
    expect(ledger.calls.some((c) => /inquir|query/i.test(c.api))).toBe(true);
    // The link is still open and nothing unsolicited came down it: an echo is the next thing answered.
    expect(client.isOpen).toBe(true);
    const status = await client.send(inquiry({ ...terminal, stan: nextStan(), originalRrn: reply.get(Field.Rrn) ?? '000000000000' }));
    expect(status.mti).toBe('0210');
    await client.close();
  }, 40_000);
});
