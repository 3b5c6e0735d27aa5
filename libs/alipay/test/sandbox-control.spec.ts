import { generateRsaKeyPair } from '../src/signing';
import {
  loadSandboxCredentials,
  RunningSandbox,
  SandboxCredentialsError,
  SandboxOptionsError,
  startSandbox,
} from '../src/sandbox';
import { clearFaults, getPayment, resetSandbox, setFaults } from '../src/sandbox/testing/control-client';
import { amsCall, openapiCall } from '../src/sandbox/testing/raw-clients';

// The /sandbox control API (inspection, faults, reset), options and credentials.

let sandbox: RunningSandbox;
let serial = 0;
const code = (suffix: string): string => `28${String(++serial).padStart(13, '0')}${suffix}`;
const newId = (): string => `C${Date.now()}${++serial}`;

const amsPay = (id: string, paymentCode = code('000')) =>
  amsCall(sandbox, 'pay', {
    paymentRequestId: id,
    paymentAmount: { currency: 'USD', value: '100' },
    paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: paymentCode },
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
afterEach(() => clearFaults(sandbox.url));

describe('inspection', () => {
  it('shows a payment with its calls, and never the payment code in clear', async () => {
    const id = newId();
    const paymentCode = code('000');
    await amsPay(id, paymentCode);
    await amsCall(sandbox, 'inquiryPayment', { paymentRequestId: id });
    const res = await fetch(`${sandbox.url}/sandbox/payments/${id}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(paymentCode);
    const view = JSON.parse(text);
    expect(view).toMatchObject({
      id,
      protocol: 'ams',
      status: 'SUCCESS',
      amountMinor: 100,
      currency: 'USD',
      refundedMinor: 0,
      paymentCodeMasked: `28${'*'.repeat(12)}${paymentCode.slice(-4)}`,
      calls: [
        { api: 'pay', requestId: id, resultCode: 'SUCCESS' },
        { api: 'inquiryPayment', requestId: id, resultCode: 'SUCCESS' },
      ],
    });
    expect(new Date(view.calls[0].at).getTime()).not.toBeNaN();
  });

  it('finds a payment by its Alipay transaction id too', async () => {
    const id = newId();
    const paid = await amsPay(id);
    expect((await getPayment(sandbox.url, String(paid.json.paymentId)))?.id).toBe(id);
  });

  it('lists payments by payment code', async () => {
    const paymentCode = code('000');
    const [a, b] = [newId(), newId()];
    await amsPay(a, paymentCode);
    await openapiCall(sandbox, 'alipay.trade.pay', {
      out_trade_no: b,
      auth_code: paymentCode,
      total_amount: '1.00',
      subject: 's',
    });
    const res = await fetch(`${sandbox.url}/sandbox/payments?paymentCode=${paymentCode}`);
    const list = (await res.json()) as { id: string; protocol: string }[];
    expect(list.map((p) => `${p.protocol}:${p.id}`).sort()).toEqual([`ams:${a}`, `openapi:${b}`].sort());
  });

  it('answers 404 JSON for an unknown id, an unknown control path and an unknown API path', async () => {
    for (const path of ['/sandbox/payments/nope', '/sandbox/nothing', '/ams/api/v1/payments/capture']) {
      const res = await fetch(`${sandbox.url}${path}`, { method: path.startsWith('/ams') ? 'POST' : 'GET' });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(await res.json()).toHaveProperty('error');
    }
  });

  it('answers 400 for an id that is not valid URL encoding', async () => {
    const res = await fetch(`${sandbox.url}/sandbox/payments/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'BAD_ID' });
  });

  it('reset clears the ledger', async () => {
    const id = newId();
    await amsPay(id);
    await resetSandbox(sandbox.url);
    expect(await getPayment(sandbox.url, id)).toBeUndefined();
    expect((await amsCall(sandbox, 'inquiryPayment', { paymentRequestId: id })).json.result).toMatchObject({
      resultCode: 'ORDER_NOT_EXIST',
    });
  });
});

describe('faults', () => {
  it('refuseAll destroys API connections while the control API keeps answering', async () => {
    await setFaults(sandbox.url, { refuseAll: true });
    const id = newId();
    await expect(amsPay(id)).rejects.toThrow();
    expect((await fetch(`${sandbox.url}/sandbox/faults`).then((r) => r.json())) as object).toMatchObject({
      refuseAll: true,
    });
    await clearFaults(sandbox.url);
    expect((await amsPay(id)).json.result).toMatchObject({ resultStatus: 'S' });
  });

  it('errorRate 1 answers HTTP 500 and nothing takes effect', async () => {
    await setFaults(sandbox.url, { errorRate: 1 });
    const id = newId();
    const res = await fetch(`${sandbox.url}/gateway.do`, { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(500);
    await res.text();
    const answer = await amsPay(id);
    expect(answer.status).toBe(500);
    expect(answer.verified).toBe(false);
    expect(await getPayment(sandbox.url, id)).toBeUndefined();
  });

  it('latencyMs delays answers beyond a short client timeout', async () => {
    await setFaults(sandbox.url, { latencyMs: 2000 });
    const res = fetch(`${sandbox.url}/gateway.do`, {
      method: 'POST',
      body: '',
      signal: AbortSignal.timeout(100),
    });
    await expect(res).rejects.toThrow();
  });

  it('rejects a malformed fault set with 400', async () => {
    for (const body of [
      '{"errorRate":2}',
      '{"latencyMs":-1}',
      '{"refuseAll":"yes"}',
      '{"other":1}',
      'nope',
    ]) {
      const res = await fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', body });
      expect(res.status).toBe(400);
      await res.text();
    }
  });
});

describe('options and credentials', () => {
  it('loads the committed demo credentials', () => {
    const c = loadSandboxCredentials();
    expect(c.mapi.partner).toMatch(/^2088\d{12}$/);
    expect(c.mapi.md5Key).toHaveLength(32);
    expect(c.openapi.appId).toMatch(/^\d{16}$/);
    expect(c.ams.merchantPrivateKey).toContain('BEGIN PRIVATE KEY');
    expect(c.ams.alipayPublicKey).toContain('BEGIN PUBLIC KEY');
    c.ams.clientId = 'mutated';
    expect(loadSandboxCredentials().ams.clientId).not.toBe('mutated');
  });

  it('runs with other credentials and refuses requests signed for the demo ones', async () => {
    const own = loadSandboxCredentials();
    const alipay = generateRsaKeyPair();
    own.ams.alipayPrivateKey = alipay.privateKeyPem;
    own.ams.alipayPublicKey = alipay.publicKeyPem;
    own.ams.clientId = 'SANDBOX_OTHER';
    const other = await startSandbox({ port: 0, credentials: own });
    try {
      expect(other.credentials.ams.clientId).toBe('SANDBOX_OTHER');
      const answer = await amsCall(other, 'inquiryPayment', { paymentRequestId: 'x' });
      expect(answer.verified).toBe(true);
      const stale = await amsCall(
        { url: other.url, credentials: loadSandboxCredentials() },
        'inquiryPayment',
        { paymentRequestId: 'x' },
      );
      expect(stale.json.result).toMatchObject({ resultCode: 'INVALID_CLIENT' });
    } finally {
      await other.close();
    }
  });

  it('refuses malformed credentials and options with typed errors', async () => {
    const broken = loadSandboxCredentials();
    broken.mapi.partner = '1234';
    await expect(startSandbox({ port: 0, credentials: broken })).rejects.toThrow(SandboxCredentialsError);
    await expect(startSandbox({ port: 0, noAnswerHoldMs: -1 })).rejects.toThrow(SandboxOptionsError);
    await expect(startSandbox({ port: 0, notifyRetryDelaysMs: [0, 1.5] })).rejects.toThrow(
      /notifyRetryDelaysMs/,
    );
  });

  it('fails to start on a port already in use', async () => {
    await expect(startSandbox({ port: sandbox.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
