import { RunningSandbox, startSandbox } from '../src/sandbox';
import { getPayment } from '../src/sandbox/testing/control-client';
import { openapiCall } from '../src/sandbox/testing/raw-clients';

// Raw Open Platform (gateway.do) wire behaviour with hand-signed requests.

let sandbox: RunningSandbox;
let serial = 0;

const code = (suffix: string, prefix = '28', length = 18): string =>
  `${prefix}${String(++serial).padStart(length - prefix.length - 3, '0')}${suffix}`;
const newId = (): string => `OT${Date.now()}${++serial}`;

const pay = (id: string, authCode: string, totalAmount = '10.00', extra: object = {}) =>
  openapiCall(sandbox, 'alipay.trade.pay', {
    out_trade_no: id,
    scene: 'bar_code',
    auth_code: authCode,
    subject: 'coffee',
    total_amount: totalAmount,
    ...extra,
  });
const query = (id: string) => openapiCall(sandbox, 'alipay.trade.query', { out_trade_no: id });
const cancel = (id: string) => openapiCall(sandbox, 'alipay.trade.cancel', { out_trade_no: id });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, noAnswerHoldMs: 400 });
});
afterAll(() => sandbox.close());

describe('Open Platform alipay.trade.pay by payment-code suffix', () => {
  it.each([
    ['000', '10000', '', 'SUCCESS'],
    ['001', '10003', '', 'PROCESSING'],
    ['002', '40004', ' ACQ.BUYER_BALANCE_NOT_ENOUGH', 'FAILED'],
    ['003', '10003', '', 'PROCESSING'],
    ['005', '40004', ' ACQ.PAYMENT_AUTH_CODE_INVALID', 'FAILED'],
    ['006', '10000', '', 'SUCCESS'],
    ['007', '40004', ' ACQ.BUYER_ENABLE_STATUS_FORBID', 'FAILED'],
  ])(
    'code ending %s answers %s%s and the ledger says %s',
    async (suffix, resultCode, subCode, ledgerStatus) => {
      const id = newId();
      const answer = await pay(id, code(suffix));
      expect(answer.status).toBe(200);
      expect(answer.verified).toBe(true);
      expect(answer.node.code).toBe(resultCode);
      expect(answer.node.sub_code ?? '').toBe(subCode.trim());
      const payment = await getPayment(sandbox.url, id);
      expect(payment).toMatchObject({
        protocol: 'openapi',
        status: ledgerStatus,
        amountMinor: 1000,
        currency: 'CNY',
      });
      if (resultCode !== '40004') {
        expect(answer.node.trade_no).toMatch(/^\d{28}$/);
        expect(answer.node.trade_no).toBe(payment?.alipayTransactionId);
      }
    },
  );

  it('001: WAIT_BUYER_PAY on the first two queries, TRADE_SUCCESS on the third', async () => {
    const id = newId();
    await pay(id, code('001'));
    const statuses: unknown[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await query(id)).node.trade_status);
    expect(statuses).toEqual(['WAIT_BUYER_PAY', 'WAIT_BUYER_PAY', 'TRADE_SUCCESS']);
  });

  it('003: WAIT_BUYER_PAY until cancelled (action close), then TRADE_CLOSED', async () => {
    const id = newId();
    await pay(id, code('003'));
    for (let i = 0; i < 4; i++) expect((await query(id)).node.trade_status).toBe('WAIT_BUYER_PAY');
    const answer = await cancel(id);
    expect(answer.node).toMatchObject({ code: '10000', action: 'close', retry_flag: 'N' });
    expect((await query(id)).node.trade_status).toBe('TRADE_CLOSED');
    expect((await getPayment(sandbox.url, id))?.status).toBe('CANCELLED');
  });

  it('004: no answer, yet the trade is paid; a repeat answers 10000 with the same trade_no', async () => {
    const id = newId();
    const authCode = code('004');
    const outcome = await Promise.race([
      pay(id, authCode).then(
        () => 'answered',
        () => 'socket destroyed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('no answer in time'), 200)),
    ]);
    expect(outcome).toBe('no answer in time');
    const payment = await getPayment(sandbox.url, id);
    expect(payment?.status).toBe('SUCCESS');
    const repeat = await pay(id, authCode);
    expect(repeat.node).toMatchObject({ code: '10000', trade_no: payment?.alipayTransactionId });
  });

  it('006: three cancels answer 20000 with retry_flag Y, the fourth refunds', async () => {
    const id = newId();
    await pay(id, code('006'));
    const answers: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const { node, verified } = await cancel(id);
      expect(verified).toBe(true);
      answers.push(`${node.code as string}/${node.retry_flag as string}`);
    }
    expect(answers).toEqual(['20000/Y', '20000/Y', '20000/Y', '10000/N']);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'refund' });
  });

  it.each([
    ['a wrong prefix', code('000', '24')],
    ['15 digits', code('000', '28', 15)],
    ['25 digits', code('000', '28', 25)],
  ])('a code with %s is ACQ.PAYMENT_AUTH_CODE_INVALID', async (_label, authCode) => {
    expect((await pay(newId(), authCode)).node.sub_code).toBe('ACQ.PAYMENT_AUTH_CODE_INVALID');
  });

  it('reads total_amount in the trade currency (JPY has no decimals)', async () => {
    const id = newId();
    expect((await pay(id, code('000'), '1500', { trans_currency: 'JPY' })).node.code).toBe('10000');
    expect(await getPayment(sandbox.url, id)).toMatchObject({ amountMinor: 1500, currency: 'JPY' });
    expect((await pay(newId(), code('000'), '15.5', { trans_currency: 'JPY' })).node.sub_code).toBe(
      'ACQ.INVALID_PARAMETER',
    );
  });
});

describe('Open Platform signatures', () => {
  it('answers a bad signature with 40002 isv.invalid-signature in the method response, signed', async () => {
    const id = newId();
    const answer = await openapiCall(
      sandbox,
      'alipay.trade.pay',
      { out_trade_no: id, scene: 'bar_code', auth_code: code('000'), subject: 's', total_amount: '1.00' },
      { badSignature: true },
    );
    expect(answer.verified).toBe(true);
    expect(JSON.parse(answer.body)).toHaveProperty('alipay_trade_pay_response');
    expect(answer.node).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
    expect(await getPayment(sandbox.url, id)).toBeUndefined();
  });

  it('answers an unknown app_id with isv.invalid-app-id', async () => {
    const answer = await openapiCall(
      sandbox,
      'alipay.trade.query',
      { out_trade_no: 'x' },
      { appId: '2021999999999999' },
    );
    expect(answer.node).toMatchObject({ code: '40002', sub_code: 'isv.invalid-app-id' });
  });

  it('accepts RSA (SHA1) signatures and signs its answer the same way', async () => {
    const answer = await openapiCall(
      sandbox,
      'alipay.trade.pay',
      {
        out_trade_no: newId(),
        scene: 'bar_code',
        auth_code: code('000'),
        subject: 's',
        total_amount: '1.00',
      },
      { signType: 'RSA' },
    );
    expect(answer.verified).toBe(true);
    expect(answer.node.code).toBe('10000');
  });

  it('answers an unknown method in error_response', async () => {
    const answer = await openapiCall(sandbox, 'alipay.trade.precreate', {});
    expect(JSON.parse(answer.body)).toHaveProperty('error_response');
    expect(answer.node).toMatchObject({ code: '40002', sub_code: 'isv.invalid-method' });
  });
});

describe('Open Platform idempotency, cancel and refund', () => {
  it('a repeated pay answers the same trade; a different amount is ACQ.CONTEXT_INCONSISTENT', async () => {
    const id = newId();
    const authCode = code('000');
    const first = await pay(id, authCode);
    const again = await pay(id, authCode);
    expect(again.node.trade_no).toBe(first.node.trade_no);
    const changed = await pay(id, authCode, '10.01');
    expect(changed.node).toMatchObject({ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' });
    expect((await getPayment(sandbox.url, id))?.calls).toHaveLength(3);
  });

  it('a repeat of a cancelled trade is ACQ.TRADE_HAS_CLOSE', async () => {
    const id = newId();
    const authCode = code('000');
    await pay(id, authCode);
    await cancel(id);
    expect((await pay(id, authCode)).node.sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
  });

  it('query, cancel and refund of an unknown trade answer ACQ.TRADE_NOT_EXIST', async () => {
    const id = newId();
    expect((await query(id)).node.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect((await cancel(id)).node).toMatchObject({ sub_code: 'ACQ.TRADE_NOT_EXIST', retry_flag: 'N' });
    const refund = await openapiCall(sandbox, 'alipay.trade.refund', {
      out_trade_no: id,
      refund_amount: '1.00',
    });
    expect(refund.node.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('refunds: idempotent by out_request_no (fund_change N), never above the payment', async () => {
    const id = newId();
    const paid = await pay(id, code('000'));
    const refund = (outRequestNo: string | undefined, amount: string, by: object = { out_trade_no: id }) =>
      openapiCall(sandbox, 'alipay.trade.refund', {
        ...by,
        refund_amount: amount,
        ...(outRequestNo ? { out_request_no: outRequestNo } : {}),
      });

    expect((await refund(undefined, '4.00')).node.sub_code).toBe('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    const first = await refund('R1', '4.00', { trade_no: paid.node.trade_no });
    expect(first.node).toMatchObject({ code: '10000', fund_change: 'Y', refund_fee: '4.00' });
    const repeat = await refund('R1', '4.00');
    expect(repeat.node).toMatchObject({ code: '10000', fund_change: 'N', refund_fee: '4.00' });
    expect((await refund('R2', '6.01')).node.sub_code).toBe('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    expect((await refund('R2', '6.00')).node).toMatchObject({ fund_change: 'Y', refund_fee: '10.00' });
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'REFUNDED', refundedMinor: 1000 });
    expect((await query(id)).node.trade_status).toBe('TRADE_CLOSED');
    expect((await refund('R3', '0.01')).node.sub_code).toBe('ACQ.TRADE_STATUS_ERROR');
  });

  it('a full refund without out_request_no is keyed by the trade itself', async () => {
    const id = newId();
    await pay(id, code('000'));
    const answer = await openapiCall(sandbox, 'alipay.trade.refund', {
      out_trade_no: id,
      refund_amount: '10.00',
    });
    expect(answer.node).toMatchObject({ code: '10000', fund_change: 'Y' });
    const again = await openapiCall(sandbox, 'alipay.trade.refund', {
      out_trade_no: id,
      refund_amount: '10.00',
    });
    expect(again.node).toMatchObject({ code: '10000', fund_change: 'N' });
  });

  it('records app_auth_token requests and answers the cancel of a paid trade with action refund', async () => {
    const id = newId();
    await pay(id, code('000'));
    const answer = await openapiCall(
      sandbox,
      'alipay.trade.cancel',
      { out_trade_no: id },
      { appAuthToken: 'token-1' },
    );
    expect(answer.node).toMatchObject({ code: '10000', action: 'refund' });
    expect(answer.node.gmt_refund_pay).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const payment = await getPayment(sandbox.url, id);
    expect(payment?.calls.map((c) => `${c.api}:${c.resultCode}`)).toEqual([
      'alipay.trade.pay:10000',
      'alipay.trade.cancel:10000',
    ]);
  });
});
