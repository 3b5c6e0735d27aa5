import { Field } from '@switch/iso8583';
import { getPayment } from '../../../libs/alipay/src/sandbox/testing/control-client';
import { localTimeIn } from '../../../src/payments/domain/receipt';
import { purchase, refund } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { receiptOf, receiptText } from '../../../tools/pos/receipt';
import { demoTerminal, nextStan, paymentCode } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';

// Seed 004's receipt, from what a real 0210 carries over a terminal socket: the merchant order id (63) and
// Alipay's transaction id (62), the Alipay mark, the local time to the second, the amount; nothing about
// the issuer or the customer's own currency. The simulator's printed slip is the same content.

const ZONE = 'Asia/Shanghai';
const { terminalId, merchantId } = demoTerminal('openapi', 'ascii');
// Everything a receipt may hold; an issuer or a customer-side amount would be a new key and fail this.
const RECEIPT_KEYS = ['alipayTransactionId', 'amount', 'approvalCode', 'currency', 'kind', 'localTime', 'mark', 'merchantOrderId', 'reference', 'rrn', 'terminalId'];

let sut: SwitchUnderTest;
let client: PosClient;

beforeAll(async () => {
  // Roomy timeouts: an approval written after the terminal's deadline counts as undelivered (and cannot be
  // refunded), which a loaded machine could cause with the harness's 4 s merchant timeout.
  sut = await startTestSwitch('mysql', { ALIPAY_CALL_TIMEOUT_MS: '5000', MERCHANT_TIMEOUT_MS: '15000', GATEWAY_TIMEOUT_MS: '20000' });
  client = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 20_000 });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await sut?.stop();
});

it('an approval and its refund print receipts with the order and Alipay numbers, the Alipay mark and local time', async () => {
  // Whole seconds: fields 12/13 carry no milliseconds.
  const boughtAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const bought = (
    await client.exchange(purchase({ terminalId, merchantId, stan: nextStan(), amountMinor: 1250, paymentCode: paymentCode('000'), currency: '156', at: boughtAt }))
  ).reply;
  expect(bought.get(Field.ResponseCode)).toBe('00');
  const atAlipay = await getPayment(sut.sandboxUrl, bought.get(Field.ReservedPrivate63) ?? '');
  expect(atAlipay?.status).toBe('SUCCESS');

  const sale = receiptOf(bought, { timeZone: ZONE });
  expect(sale).toEqual({
    mark: 'Alipay',
    kind: 'sale',
    reference: atAlipay?.alipayTransactionId,
    merchantOrderId: atAlipay?.id,
    alipayTransactionId: atAlipay?.alipayTransactionId,
    localTime: localTimeIn(boughtAt, ZONE),
    amount: '12.50',
    currency: 'CNY',
    terminalId,
    rrn: bought.get(Field.Rrn),
    approvalCode: bought.get(Field.AuthorizationCode),
  });
  expect(Object.keys(sale ?? {}).sort()).toEqual(RECEIPT_KEYS);
  // Beijing is UTC+8 all year: the slip shows the customer's wall clock, not the switch's UTC.
  expect(sale?.localTime).toBe(new Date(boughtAt.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19));

  const slip = receiptText(bought, { timeZone: ZONE }) ?? '';
  const lines = slip.trimEnd().split('\n');
  expect(lines[0].trim()).toBe('[ Alipay ]');
  expect(lines[1].trim()).toBe('SALE');
  expect(slip).toContain(`Date/time${' '.repeat(32 - 9 - 19)}${sale?.localTime}`);
  // Numbers longer than the paper continue on the next indented line.
  const unwrapped = lines.map((line) => line.trim()).join('');
  expect(unwrapped).toContain(`Merchant order no.${atAlipay?.id}`);
  expect(unwrapped).toContain(`Alipay transaction no.${atAlipay?.alipayTransactionId}`);
  expect(slip).toMatch(/AMOUNT +CNY 12\.50/);
  expect(lines.every((line) => line.length <= 32)).toBe(true);

  const refundedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const returned = (
    await client.exchange(refund({ terminalId, merchantId, stan: nextStan(), amountMinor: 500, originalRrn: bought.get(Field.Rrn) ?? '', currency: '156', at: refundedAt }))
  ).reply;
  expect(returned.get(Field.ResponseCode)).toBe('00');
  const refundReceipt = receiptOf(returned, { timeZone: ZONE });
  const refundRequestId = returned.get(Field.ReservedPrivate63);
  expect(refundReceipt).toMatchObject({
    mark: 'Alipay',
    kind: 'refund',
    merchantOrderId: refundRequestId,
    localTime: localTimeIn(refundedAt, ZONE),
    amount: '5.00',
    currency: 'CNY',
  });
  expect((await getPayment(sut.sandboxUrl, atAlipay?.id ?? ''))?.refunds.map((r) => r.refundRequestId)).toEqual([refundRequestId]);
  expect(refundReceipt?.alipayTransactionId).toBe(returned.get(Field.ReservedPrivate62));
  const refundSlip = receiptText(returned, { timeZone: ZONE }) ?? '';
  expect(refundSlip.split('\n')[1].trim()).toBe('REFUND');
  expect(refundSlip).toMatch(/REFUNDED +CNY 5\.00/);
  expect(refundSlip).toContain('Refunded to Alipay');
});

it('a declined purchase prints no receipt', async () => {
  const declined = (
    await client.exchange(purchase({ terminalId, merchantId, stan: nextStan(), amountMinor: 990, paymentCode: paymentCode('002'), currency: '156' }))
  ).reply;
  expect(declined.get(Field.ResponseCode)).not.toBe('00');
  expect(receiptOf(declined, { timeZone: ZONE })).toBeUndefined();
  expect(receiptText(declined, { timeZone: ZONE })).toBeUndefined();
});
