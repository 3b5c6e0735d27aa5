import { connect, type Socket } from 'node:net';
import { Field, LengthPrefixedFramer, createDialect, type IsoMessage } from '@switch/iso8583';
import { purchase } from '../../../tools/pos/messages';
import { PaymentEntity } from '../../../src/persistence/entities';
import { demoTerminal, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, SwitchUnderTest } from '../../support/switch-harness';

const MERCHANT_TIMEOUT_MS = 2_000;
// Time for a reply written at the deadline to cross loopback on a loaded machine.
const DELIVERY_SLACK_MS = 400;

describe('a frame queued behind in-flight requests (one in flight per connection)', () => {
  let sut: SwitchUnderTest;

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite', {
      ISO_MAX_IN_FLIGHT: '1',
      MERCHANT_TIMEOUT_MS: String(MERCHANT_TIMEOUT_MS),
      GATEWAY_TIMEOUT_MS: '4000',
    });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('has its reply deadline counted from when it arrived, so nothing reaches the terminal after it gave up', async () => {
    const dialect = createDialect('ascii');
    const terminal = demoTerminal('openapi', 'ascii', 4);
    // Two purchases Alipay never completes (each held to the engine's wait end), then an ordinary one, in
    // one write: the second and third wait in the connection's queue while the first is in flight.
    const codes = ['003', '003', '000'];
    const stans = codes.map(() => nextStan());
    const frames = codes.map((code, i) =>
      dialect.encodeFrame(purchase({ ...terminal, stan: stans[i], amountMinor: 100 + i, paymentCode: paymentCode(code) })),
    );
    const socket = connect(sut.port('ascii'), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const sentAt = Date.now();
    socket.write(Buffer.concat(frames));
    // Unfixed, the queued purchases get a fresh merchant timeout each: replies come ~1.75 s and ~3.5 s late.
    const replies = await collectReplies(socket, dialect, MERCHANT_TIMEOUT_MS * 2 + 500);
    socket.destroy();

    const late = replies.filter((r) => r.atMs - sentAt > MERCHANT_TIMEOUT_MS + DELIVERY_SLACK_MS);
    expect(late.map((r) => [r.message.get(Field.Stan), r.message.get(Field.ResponseCode), r.atMs - sentAt])).toEqual([]);
    // The first purchase was answered "in doubt" before its deadline; the queued ones were not approved.
    const byStan = new Map(replies.map((r) => [r.message.get(Field.Stan), r.message.get(Field.ResponseCode)]));
    expect(byStan.get(stans[0])).toBe('91');
    expect(byStan.get(stans[2])).not.toBe('00');
  });

  it('is not sent to Alipay once its time is up: declined unpaid, answered 05 or not at all', async () => {
    const dialect = createDialect('ascii');
    const terminal = demoTerminal('openapi', 'ascii', 3);
    const stans = [nextStan(), nextStan()];
    // The first holds the only slot until the engine's wait end; the second then has no time left.
    const frames = ['003', '000'].map((code, i) =>
      dialect.encodeFrame(purchase({ ...terminal, stan: stans[i], amountMinor: 200 + i, paymentCode: paymentCode(code) })),
    );
    const socket = connect(sut.port('ascii'), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(Buffer.concat(frames));
    const replies = await collectReplies(socket, dialect, MERCHANT_TIMEOUT_MS + 500);
    socket.destroy();

    const queued = replies.find((r) => r.message.get(Field.Stan) === stans[1]);
    expect(['05', undefined]).toContain(queued?.message.get(Field.ResponseCode));
    const payment = await sut.running.dataSource.getRepository(PaymentEntity).findOneBy({ terminalId: terminal.terminalId, stan: stans[1] });
    expect(payment).toMatchObject({ state: 'DECLINED', failureCode: 'REPLY_DEADLINE_PASSED' });
    expect(await sandboxPayment(sut.sandboxUrl, payment!.paymentRequestId)).toBeUndefined();
  });
});

async function collectReplies(
  socket: Socket,
  dialect: ReturnType<typeof createDialect>,
  forMs: number,
): Promise<Array<{ message: IsoMessage; atMs: number }>> {
  const framer = new LengthPrefixedFramer(8_192);
  const replies: Array<{ message: IsoMessage; atMs: number }> = [];
  socket.on('data', (chunk: Buffer) => {
    const atMs = Date.now();
    for (const payload of framer.push(chunk)) replies.push({ message: dialect.decodeFrame(payload).message, atMs });
  });
  await new Promise((resolve) => setTimeout(resolve, forMs));
  return replies;
}
