import { RunningSandbox, startSandbox } from '../src/sandbox';
import { getPayment } from '../src/sandbox/testing/control-client';
import { amsCall } from '../src/sandbox/testing/raw-clients';

// Raw AMS wire behaviour, with hand-signed requests (the adapter path is covered in sandbox-adapters.spec.ts).

let sandbox: RunningSandbox;
let serial = 0;

/** An 18-digit code ending in `suffix`, unique per call so ?paymentCode= lookups stay unambiguous. */
const code = (suffix: string, prefix = '28', length = 18): string =>
  `${prefix}${String(++serial).padStart(length - prefix.length - 3, '0')}${suffix}`;
const newId = (): string => `PR-${Date.now()}-${++serial}`;

const payBody = (id: string, paymentCode: string, value = '1000', currency = 'USD'): object => ({
  productCode: 'IN_STORE_PAYMENT',
  paymentRequestId: id,
  paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: paymentCode },
  paymentFactor: { inStorePaymentScenario: 'PaymentCode' },
  paymentAmount: { currency, value },
  order: { orderDescription: 'coffee', orderAmount: { currency, value } },
});

const resultOf = (json: Record<string, unknown>): { resultStatus: string; resultCode: string } =>
  json.result as { resultStatus: string; resultCode: string };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, noAnswerHoldMs: 400, autoConfirmInquiries: 2 });
});
afterAll(() => sandbox.close());

describe('AMS pay by payment-code suffix', () => {
  it.each([
    ['000', 'S', 'SUCCESS', 'SUCCESS'],
    ['123', 'S', 'SUCCESS', 'SUCCESS'],
    ['001', 'U', 'PAYMENT_IN_PROCESS', 'PROCESSING'],
    ['002', 'F', 'USER_BALANCE_NOT_ENOUGH', 'FAILED'],
    ['003', 'U', 'PAYMENT_IN_PROCESS', 'PROCESSING'],
    ['005', 'F', 'INVALID_CODE', 'FAILED'],
    ['006', 'S', 'SUCCESS', 'SUCCESS'],
    ['007', 'F', 'RISK_REJECT', 'FAILED'],
  ])(
    'code ending %s answers %s/%s and the ledger says %s',
    async (suffix, status, resultCode, ledgerStatus) => {
      const id = newId();
      const answer = await amsCall(sandbox, 'pay', payBody(id, code(suffix)));
      expect(answer.status).toBe(200);
      expect(answer.verified).toBe(true);
      expect(resultOf(answer.json)).toMatchObject({ resultStatus: status, resultCode });
      const payment = await getPayment(sandbox.url, id);
      expect(payment).toMatchObject({
        id,
        protocol: 'ams',
        status: ledgerStatus,
        amountMinor: 1000,
        currency: 'USD',
      });
      if (status === 'S') expect(answer.json.paymentId).toBe(payment?.alipayTransactionId);
      if (ledgerStatus === 'FAILED') expect(payment?.failureCode).toBe(resultCode);
    },
  );

  it('001: the first two inquiries say PROCESSING, the third SUCCESS', async () => {
    const id = newId();
    await amsCall(sandbox, 'pay', payBody(id, code('001')));
    const statuses: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await amsCall(sandbox, 'inquiryPayment', { paymentRequestId: id });
      expect(answer.verified).toBe(true);
      expect(resultOf(answer.json).resultStatus).toBe('S');
      statuses.push(answer.json.paymentStatus);
    }
    expect(statuses).toEqual(['PROCESSING', 'PROCESSING', 'SUCCESS', 'SUCCESS']);
    expect((await getPayment(sandbox.url, id))?.status).toBe('SUCCESS');
  });

  it('003: processing on every inquiry until cancelled, then CANCELLED', async () => {
    const id = newId();
    await amsCall(sandbox, 'pay', payBody(id, code('003')));
    for (let i = 0; i < 5; i++) {
      expect((await amsCall(sandbox, 'inquiryPayment', { paymentRequestId: id })).json.paymentStatus).toBe(
        'PROCESSING',
      );
    }
    const cancel = await amsCall(sandbox, 'cancel', { paymentRequestId: id });
    expect(resultOf(cancel.json)).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(cancel.json.cancelTime).toEqual(expect.any(String));
    expect((await amsCall(sandbox, 'inquiryPayment', { paymentRequestId: id })).json.paymentStatus).toBe(
      'CANCELLED',
    );
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'close' });
  });

  it('004: pay gets no answer, yet the payment succeeded; a repeat answers at once', async () => {
    const id = newId();
    const paymentCode = code('004');
    await expect(fetchWithin(200, () => amsCall(sandbox, 'pay', payBody(id, paymentCode)))).rejects.toThrow(
      'no answer within 200 ms',
    );
    expect((await getPayment(sandbox.url, id))?.status).toBe('SUCCESS');
    const repeat = await amsCall(sandbox, 'pay', payBody(id, paymentCode));
    expect(resultOf(repeat.json)).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
  });

  it('006: the first three cancels answer U/UNKNOWN_EXCEPTION, the fourth succeeds (money returned)', async () => {
    const id = newId();
    await amsCall(sandbox, 'pay', payBody(id, code('006')));
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await amsCall(sandbox, 'cancel', { paymentRequestId: id });
      expect(answer.verified).toBe(true);
      const r = resultOf(answer.json);
      codes.push(`${r.resultStatus}/${r.resultCode}`);
    }
    expect(codes).toEqual(['U/UNKNOWN_EXCEPTION', 'U/UNKNOWN_EXCEPTION', 'U/UNKNOWN_EXCEPTION', 'S/SUCCESS']);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'refund' });
  });

  it.each([
    ['a wrong prefix', code('000', '31')],
    ['too short (16 digits)', code('000', '28', 16)],
    ['too long (33 digits)', code('000', '28', 33)],
    ['letters', '28ABCDEFGHIJKLM000'],
  ])('refuses a payment code with %s as INVALID_CODE', async (_label, paymentCode) => {
    const id = newId();
    const answer = await amsCall(sandbox, 'pay', payBody(id, paymentCode));
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CODE' });
  });

  it('accepts 17 and 32 digit codes', async () => {
    for (const length of [17, 32]) {
      const answer = await amsCall(sandbox, 'pay', payBody(newId(), code('000', '25', length)));
      expect(resultOf(answer.json).resultStatus).toBe('S');
    }
  });
});

describe('AMS signatures and clients', () => {
  it('answers a bad signature with F/INVALID_SIGNATURE, unsigned, and makes no payment', async () => {
    const id = newId();
    const answer = await amsCall(sandbox, 'pay', payBody(id, code('000')), { badSignature: true });
    expect(answer.status).toBe(200);
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect(answer.headers.signature).toBeUndefined();
    expect(await getPayment(sandbox.url, id)).toBeUndefined();
    const res = await fetch(`${sandbox.url}/sandbox/payments/${id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      calls: [{ protocol: 'ams', api: 'pay', resultCode: 'INVALID_SIGNATURE' }],
    });
  });

  it('answers an unknown client id with F/INVALID_CLIENT', async () => {
    const answer = await amsCall(sandbox, 'pay', payBody(newId(), code('000')), {
      clientId: 'SANDBOX_NOBODY',
    });
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CLIENT' });
  });

  it('records request headers, so an Agent-Token is visible', async () => {
    const id = newId();
    await amsCall(sandbox, 'pay', payBody(id, code('000')), { headers: { 'Agent-Token': 'agent-token-1' } });
    const payment = await getPayment(sandbox.url, id);
    expect(payment?.calls).toEqual([
      expect.objectContaining({
        api: 'pay',
        requestId: id,
        resultCode: 'SUCCESS',
        headers: expect.objectContaining({ 'agent-token': 'agent-token-1' }),
      }),
    ]);
  });

  it('also serves the /ams/sandbox/api path the global SDK uses for SANDBOX_ clients', async () => {
    const answer = await amsCall(sandbox, 'pay', payBody(newId(), code('000')), {
      path: '/ams/sandbox/api/v1/payments/pay',
    });
    expect(answer.verified).toBe(true);
    expect(resultOf(answer.json).resultStatus).toBe('S');
  });
});

describe('AMS idempotency, cancel and refund', () => {
  it('a repeated pay answers the same payment and never pays twice', async () => {
    const id = newId();
    const paymentCode = code('000');
    const first = await amsCall(sandbox, 'pay', payBody(id, paymentCode));
    const second = await amsCall(sandbox, 'pay', payBody(id, paymentCode));
    expect(second.json.paymentId).toBe(first.json.paymentId);
    const listed = (await (
      await fetch(`${sandbox.url}/sandbox/payments?paymentCode=${paymentCode}`)
    ).json()) as unknown[];
    expect(listed).toHaveLength(1);
    expect((await getPayment(sandbox.url, id))?.calls.map((c) => c.resultCode)).toEqual([
      'SUCCESS',
      'SUCCESS',
    ]);
  });

  it.each([
    ['amount', (id: string, c: string) => payBody(id, c, '999')],
    ['currency', (id: string, c: string) => payBody(id, c, '1000', 'EUR')],
    ['payment code', (id: string) => payBody(id, code('000'))],
  ])('the same id with a different %s is REPEAT_REQ_INCONSISTENT', async (_label, variant) => {
    const id = newId();
    const paymentCode = code('000');
    await amsCall(sandbox, 'pay', payBody(id, paymentCode));
    const answer = await amsCall(sandbox, 'pay', variant(id, paymentCode));
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
    expect(await getPayment(sandbox.url, id)).toMatchObject({
      status: 'SUCCESS',
      amountMinor: 1000,
      currency: 'USD',
    });
  });

  it('cancel of a paid payment returns the money; a repeated cancel succeeds again', async () => {
    const id = newId();
    await amsCall(sandbox, 'pay', payBody(id, code('000')));
    for (let i = 0; i < 2; i++) {
      expect(resultOf((await amsCall(sandbox, 'cancel', { paymentRequestId: id })).json).resultStatus).toBe(
        'S',
      );
    }
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'refund' });
  });

  it('cancel of a declined payment succeeds and leaves it FAILED', async () => {
    const id = newId();
    await amsCall(sandbox, 'pay', payBody(id, code('002')));
    expect(resultOf((await amsCall(sandbox, 'cancel', { paymentRequestId: id })).json).resultStatus).toBe(
      'S',
    );
    expect((await getPayment(sandbox.url, id))?.status).toBe('FAILED');
  });

  it('inquiry, cancel and refund of an unknown id answer ORDER_NOT_EXIST', async () => {
    const id = newId();
    for (const [api, body] of [
      ['inquiryPayment', { paymentRequestId: id }],
      ['cancel', { paymentRequestId: id }],
      [
        'refund',
        { paymentId: `P-${id}`, refundRequestId: `R-${id}`, refundAmount: { currency: 'USD', value: '1' } },
      ],
    ] as const) {
      const answer = await amsCall(sandbox, api, body);
      expect(answer.verified).toBe(true);
      expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
    }
  });

  it('refunds are idempotent by refundRequestId and never exceed the payment', async () => {
    const id = newId();
    const pay = await amsCall(sandbox, 'pay', payBody(id, code('000')));
    const refund = (refundRequestId: string, value: string) =>
      amsCall(sandbox, 'refund', { paymentId: pay.json.paymentId, refundRequestId, refundAmount: { currency: 'USD', value } });

    const first = await refund('R1', '400');
    expect(resultOf(first.json)).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const repeat = await refund('R1', '400');
    expect(repeat.json.refundId).toBe(first.json.refundId);
    expect((await getPayment(sandbox.url, id))?.refundedMinor).toBe(400);

    expect(resultOf((await refund('R1', '500')).json).resultCode).toBe('REPEAT_REQ_INCONSISTENT');
    expect(resultOf((await refund('R2', '601')).json).resultCode).toBe('REFUND_AMOUNT_EXCEED');
    expect(resultOf((await refund('R2', '600')).json).resultStatus).toBe('S');
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'REFUNDED', refundedMinor: 1000 });
    expect(resultOf((await refund('R3', '1')).json).resultCode).toBe('ORDER_IS_CLOSED');
  });

  it('a payment still processing cannot be refunded', async () => {
    const id = newId();
    const pay = await amsCall(sandbox, 'pay', payBody(id, code('003')));
    const answer = await amsCall(sandbox, 'refund', {
      paymentId: pay.json.paymentId,
      refundRequestId: 'R1',
      refundAmount: { currency: 'USD', value: '1' },
    });
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
  });

  it('refuses a refund that names the payment only by paymentRequestId, as Antom does (its refund takes paymentId)', async () => {
    const id = newId();
    const pay = await amsCall(sandbox, 'pay', payBody(id, code('000')));
    expect(pay.json.paymentId).toBeTruthy();
    const answer = await amsCall(sandbox, 'refund', { paymentRequestId: id, refundRequestId: 'R1', refundAmount: { currency: 'USD', value: '1' } });
    expect(answer.verified).toBe(true);
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'SUCCESS', refundedMinor: 0 });
  });

  it('answers a pay missing its required fields with a signed F/PARAM_ILLEGAL', async () => {
    const answer = await amsCall(sandbox, 'pay', { paymentRequestId: newId() });
    expect(answer.verified).toBe(true);
    expect(resultOf(answer.json)).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });
});

/** Rejects when `call` has not settled within `ms` (the caller's own timeout, as an adapter would have). */
function fetchWithin<T>(ms: number, call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    call().then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => undefined,
    );
  });
}
