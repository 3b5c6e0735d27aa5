import { RunningSandbox, startSandbox } from '../src/sandbox';
import { getPayment } from '../src/sandbox/testing/control-client';
import { mapiCall } from '../src/sandbox/testing/raw-clients';

// Raw MAPI (Alipay Global, /mapi/gateway.do) wire behaviour with hand-signed requests.

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const CANCEL = 'alipay.acquire.cancel';
const REFUND = 'alipay.acquire.overseas.spot.refund';

let sandbox: RunningSandbox;
let serial = 0;

const code = (suffix: string, prefix = '28', length = 18): string =>
  `${prefix}${String(++serial).padStart(length - prefix.length - 3, '0')}${suffix}`;
const newId = (): string => `MP${Date.now()}${++serial}`;

const payParams = (
  id: string,
  identityCode: string,
  amount = '10.00',
  currency = 'USD',
): Record<string, string> => ({
  alipay_seller_id: sandbox.credentials.mapi.partner,
  quantity: '1',
  trans_name: 'coffee',
  partner_trans_id: id,
  currency,
  trans_currency: currency,
  trans_amount: amount,
  buyer_identity_code: identityCode,
  identity_code_type: 'barcode',
  trans_create_time: '20240101120000',
  biz_product: 'OVERSEAS_MBARCODE_PAY',
});
const pay = (id: string, identityCode: string, amount?: string, currency?: string) =>
  mapiCall(sandbox, PAY, payParams(id, identityCode, amount, currency));
const query = (id: string) => mapiCall(sandbox, QUERY, { partner_trans_id: id });
const cancel = (id: string) => mapiCall(sandbox, CANCEL, { out_trade_no: id, timestamp: String(Date.now()) });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, noAnswerHoldMs: 400 });
});
afterAll(() => sandbox.close());

describe('MAPI spot.pay by payment-code suffix', () => {
  it.each([
    ['000', 'SUCCESS', '', 'SUCCESS'],
    ['001', 'UNKNOW', '', 'PROCESSING'],
    ['002', 'FAILED', 'BUYER_BALANCE_NOT_ENOUGH', 'FAILED'],
    ['003', 'UNKNOW', '', 'PROCESSING'],
    ['005', 'FAILED', 'INVALID_IDENTITY_CODE', 'FAILED'],
    ['006', 'SUCCESS', '', 'SUCCESS'],
    ['007', 'FAILED', 'RISK_REJECT', 'FAILED'],
  ])(
    'code ending %s answers result_code %s %s; the ledger says %s',
    async (suffix, resultCode, error, ledgerStatus) => {
      const id = newId();
      const answer = await pay(id, code(suffix));
      expect(answer.headers['content-type']).toMatch(/xml/);
      expect(answer.parsed.isSuccess).toBe('T');
      expect(answer.verified).toBe(true);
      expect(answer.parsed.fields.result_code).toBe(resultCode);
      expect(answer.parsed.fields.error ?? '').toBe(error);
      const payment = await getPayment(sandbox.url, id);
      expect(payment).toMatchObject({
        protocol: 'mapi',
        status: ledgerStatus,
        amountMinor: 1000,
        currency: 'USD',
      });
      if (resultCode === 'UNKNOW') expect(answer.parsed.fields.alipay_trans_status).toBe('WAIT_BUYER_PAY');
      if (resultCode === 'SUCCESS') {
        expect(answer.parsed.fields.alipay_trans_id).toBe(payment?.alipayTransactionId);
        expect(answer.parsed.fields.alipay_pay_time).toMatch(/^\d{14}$/);
      }
    },
  );

  it('001: WAIT_BUYER_PAY on the first two queries, TRADE_SUCCESS on the third', async () => {
    const id = newId();
    await pay(id, code('001'));
    const statuses: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await query(id);
      expect(answer.verified).toBe(true);
      statuses.push(answer.parsed.fields.alipay_trans_status);
    }
    expect(statuses).toEqual(['WAIT_BUYER_PAY', 'WAIT_BUYER_PAY', 'TRADE_SUCCESS']);
  });

  it('003: WAIT_BUYER_PAY until cancelled (action close), then TRADE_CLOSED', async () => {
    const id = newId();
    await pay(id, code('003'));
    for (let i = 0; i < 4; i++)
      expect((await query(id)).parsed.fields.alipay_trans_status).toBe('WAIT_BUYER_PAY');
    expect((await cancel(id)).parsed.fields).toMatchObject({
      result_code: 'SUCCESS',
      action: 'close',
      retry_flag: 'N',
    });
    expect((await query(id)).parsed.fields.alipay_trans_status).toBe('TRADE_CLOSED');
  });

  it('004: no answer, yet the trade is paid', async () => {
    const id = newId();
    const outcome = await Promise.race([
      pay(id, code('004')).then(
        () => 'answered',
        () => 'socket destroyed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('no answer in time'), 200)),
    ]);
    expect(outcome).toBe('no answer in time');
    expect((await getPayment(sandbox.url, id))?.status).toBe('SUCCESS');
  });

  it('006: three cancels answer FAIL/SYSTEM_ERROR with retry_flag Y, the fourth refunds', async () => {
    const id = newId();
    await pay(id, code('006'));
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const f = (await cancel(id)).parsed.fields;
      answers.push(`${f.result_code}/${f.error ?? '-'}/${f.retry_flag}`);
    }
    expect(answers).toEqual([
      'FAIL/SYSTEM_ERROR/Y',
      'FAIL/SYSTEM_ERROR/Y',
      'FAIL/SYSTEM_ERROR/Y',
      'SUCCESS/-/N',
    ]);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'refund' });
  });

  it.each([
    ['a wrong prefix', code('000', '31')],
    ['25 digits', code('000', '28', 25)],
  ])('a code with %s is FAILED/INVALID_IDENTITY_CODE', async (_label, identityCode) => {
    const answer = await pay(newId(), identityCode);
    expect(answer.parsed.fields).toMatchObject({ result_code: 'FAILED', error: 'INVALID_IDENTITY_CODE' });
  });

  it('reads JPY amounts without decimals', async () => {
    const id = newId();
    expect((await pay(id, code('000'), '1200', 'JPY')).parsed.fields.result_code).toBe('SUCCESS');
    expect(await getPayment(sandbox.url, id)).toMatchObject({ amountMinor: 1200, currency: 'JPY' });
  });
});

describe('MAPI signatures and transport', () => {
  it('answers a bad MD5 sign with is_success F / ILLEGAL_SIGN and no sign', async () => {
    const id = newId();
    const answer = await mapiCall(sandbox, PAY, payParams(id, code('000')), { badSignature: true });
    expect(answer.parsed).toMatchObject({ isSuccess: 'F', error: 'ILLEGAL_SIGN', sign: undefined });
    expect(await getPayment(sandbox.url, id)).toBeUndefined();
  });

  it('answers a bad RSA2 sign with ILLEGAL_SIGN and accepts a good one, signing its answer with RSA2', async () => {
    expect(
      (
        await mapiCall(sandbox, PAY, payParams(newId(), code('000')), {
          signType: 'RSA2',
          badSignature: true,
        })
      ).parsed.error,
    ).toBe('ILLEGAL_SIGN');
    const good = await mapiCall(sandbox, PAY, payParams(newId(), code('000')), { signType: 'RSA2' });
    expect(good.parsed.signType).toBe('RSA2');
    expect(good.verified).toBe(true);
  });

  it('answers an unknown partner with ILLEGAL_PARTNER and an unknown service with ILLEGAL_SERVICE', async () => {
    expect(
      (await mapiCall(sandbox, QUERY, { partner_trans_id: 'x' }, { partner: '2088999999999999' })).parsed
        .error,
    ).toBe('ILLEGAL_PARTNER');
    expect((await mapiCall(sandbox, 'alipay.acquire.precreate', {})).parsed.error).toBe('ILLEGAL_SERVICE');
  });

  it('accepts GET requests', async () => {
    const answer = await mapiCall(sandbox, PAY, payParams(newId(), code('000')), { httpMethod: 'GET' });
    expect(answer.parsed.fields.result_code).toBe('SUCCESS');
    expect(answer.verified).toBe(true);
  });
});

describe('MAPI idempotency, cancel and refund', () => {
  it('a repeated pay answers the same trade; a different amount is REPEAT_REQ_INCONSISTENT', async () => {
    const id = newId();
    const identityCode = code('000');
    const first = await pay(id, identityCode);
    expect((await pay(id, identityCode)).parsed.fields.alipay_trans_id).toBe(
      first.parsed.fields.alipay_trans_id,
    );
    expect((await pay(id, identityCode, '10.01')).parsed.fields).toMatchObject({
      result_code: 'FAILED',
      error: 'REPEAT_REQ_INCONSISTENT',
    });
  });

  it('query and cancel of an unknown trade answer FAIL/TRADE_NOT_EXIST', async () => {
    const id = newId();
    expect((await query(id)).parsed.fields).toMatchObject({ result_code: 'FAIL', error: 'TRADE_NOT_EXIST' });
    expect((await cancel(id)).parsed.fields).toMatchObject({
      result_code: 'FAIL',
      error: 'TRADE_NOT_EXIST',
      retry_flag: 'N',
    });
  });

  it('refunds are idempotent by partner_refund_id and never above the payment', async () => {
    const id = newId();
    const paid = await pay(id, code('000'));
    const refund = (
      refundId: string,
      amount: string,
      by: Record<string, string> = { partner_trans_id: id },
    ) =>
      mapiCall(sandbox, REFUND, {
        ...by,
        partner_refund_id: refundId,
        refund_amount: amount,
        currency: 'USD',
        is_sync: 'Y',
      });
    expect(
      (await refund('R1', '3.00', { alipay_trans_id: paid.parsed.fields.alipay_trans_id })).parsed.fields
        .result_code,
    ).toBe('SUCCESS');
    expect((await refund('R1', '3.00')).parsed.fields.result_code).toBe('SUCCESS');
    expect((await getPayment(sandbox.url, id))?.refundedMinor).toBe(300);
    expect((await refund('R1', '4.00')).parsed.fields.error).toBe('REPEAT_REQ_INCONSISTENT');
    expect((await refund('R2', '7.01')).parsed.fields.error).toBe('REFUND_AMOUNT_EXCEED');
    expect((await refund('R2', '7.00')).parsed.fields.result_code).toBe('SUCCESS');
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'REFUNDED', refundedMinor: 1000 });
    expect((await refund('R3', '0.01')).parsed.fields.error).toBe('TRADE_STATUS_ERROR');
    expect((await refund('R4', '1.00', { partner_trans_id: newId() })).parsed.fields.error).toBe(
      'TRADE_NOT_EXIST',
    );
  });
});
