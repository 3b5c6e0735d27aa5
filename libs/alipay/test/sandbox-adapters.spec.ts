import { ChannelOutcome, createChannel, MerchantContext, WalletChannel } from '../src';
import { generateRsaKeyPair } from '../src/signing';
import { RunningSandbox, SandboxProtocol, startSandbox } from '../src/sandbox';
import { clearFaults, getPayment, setFaults } from '../src/sandbox/testing/control-client';
import { NotificationReceiver, startReceiver } from '../src/sandbox/testing/receiver';

// Every behaviour row, for each protocol, through the real adapters (createChannel) against a sandbox on an
// ephemeral port: the adapters' normalised outcomes AND the sandbox's ledger.

const SHORT_TIMEOUT_MS = 300;
const HOLD_MS = 700;

let sandbox: RunningSandbox;
let receiver: NotificationReceiver;
let serial = 0;
const stranger = generateRsaKeyPair();
const opened: WalletChannel[] = [];

const merchant: MerchantContext = {
  merchantId: 'M001',
  merchantName: 'Sandbox Cafe',
  mcc: '5812',
  storeId: 'S01',
  storeName: 'Main street',
  terminalId: 'T0000001',
};
// The Open Platform prices in CNY; the two cross-border APIs take the merchant's currency.
const CURRENCY: Record<SandboxProtocol, string> = { ams: 'USD', openapi: 'CNY', mapi: 'USD' };

const code = (suffix: string): string => `28${String(++serial).padStart(13, '0')}${suffix}`;
const newId = (p: SandboxProtocol): string => `${p.toUpperCase()}${Date.now()}${++serial}`;

interface ChannelOptions {
  timeoutMs?: number;
  /** Sign requests with a key the sandbox does not know. */
  wrongMerchantKey?: boolean;
  /** Verify answers with a key that is not the sandbox's. */
  wrongAlipayKey?: boolean;
}

function channelFor(protocol: SandboxProtocol, options: ChannelOptions = {}): WalletChannel {
  const c = sandbox.credentials;
  const timeoutMs = options.timeoutMs ?? 3000;
  const keys = (section: { merchantPrivateKey: string; alipayPublicKey: string }) => ({
    merchantPrivateKey: options.wrongMerchantKey ? stranger.privateKeyPem : section.merchantPrivateKey,
    alipayPublicKey: options.wrongAlipayKey ? stranger.publicKeyPem : section.alipayPublicKey,
  });
  let channel: WalletChannel;
  switch (protocol) {
    case 'ams':
      channel = createChannel({
        channel: 'ams',
        baseUrl: sandbox.url,
        clientId: c.ams.clientId,
        keyVersion: c.ams.keyVersion,
        timeoutMs,
        ...keys(c.ams),
      });
      break;
    case 'openapi':
      channel = createChannel({
        channel: 'openapi',
        gatewayUrl: `${sandbox.url}/gateway.do`,
        appId: c.openapi.appId,
        timeoutMs,
        ...keys(c.openapi),
      });
      break;
    case 'mapi':
      // MD5 is how MAPI merchants usually sign; a wrong "merchant key" is a wrong MD5 key here.
      channel = createChannel({
        channel: 'mapi',
        gatewayUrl: `${sandbox.url}/mapi/gateway.do`,
        partner: c.mapi.partner,
        signType: options.wrongAlipayKey ? 'RSA2' : 'MD5',
        md5Key: options.wrongMerchantKey ? 'x'.repeat(32) : c.mapi.md5Key,
        timeoutMs,
        ...keys(c.mapi),
      });
      break;
  }
  opened.push(channel);
  return channel;
}

const payRequest = (protocol: SandboxProtocol, id: string, paymentCode: string, notifyUrl?: string) => ({
  paymentRequestId: id,
  paymentCode,
  amount: { amountMinor: 1250, currency: CURRENCY[protocol] },
  subject: 'Flat white',
  merchant,
  terminalRequestTime: new Date(),
  ...(notifyUrl ? { notifyUrl } : {}),
});

const kinds = (outcomes: ChannelOutcome[]): string[] =>
  outcomes.map((o) =>
    o.kind === 'failure' ? `failure:${o.reason}` : o.kind === 'unknown' ? `unknown:${o.cause}` : o.kind,
  );

beforeAll(async () => {
  receiver = await startReceiver((n) =>
    n.headers['content-type']?.startsWith('application/json')
      ? {
          status: 200,
          body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}',
        }
      : { status: 200, body: 'success' },
  );
  sandbox = await startSandbox({ port: 0, noAnswerHoldMs: HOLD_MS, notifyRetryDelaysMs: [0, 10, 10] });
});
afterAll(async () => {
  for (const channel of opened) (channel as { close?: () => void }).close?.();
  await sandbox.close();
  await receiver.close();
});

describe.each<SandboxProtocol>(['ams', 'openapi', 'mapi'])('%s adapter against the sandbox', (protocol) => {
  let channel: WalletChannel;
  beforeAll(() => {
    channel = channelFor(protocol);
  });
  afterEach(() => clearFaults(sandbox.url));

  const pay = (id: string, suffix: string) => channel.pay(payRequest(protocol, id, code(suffix)));
  const inquire = (id: string) => channel.inquire({ paymentRequestId: id, merchant });
  const cancel = (id: string) => channel.cancel({ paymentRequestId: id, merchant });

  it('000: success at once', async () => {
    const id = newId(protocol);
    const outcome = await pay(id, '000');
    expect(outcome.kind).toBe('success');
    const payment = await getPayment(sandbox.url, id);
    expect(payment).toMatchObject({
      protocol,
      status: 'SUCCESS',
      amountMinor: 1250,
      currency: CURRENCY[protocol],
    });
    expect(outcome.kind === 'success' && outcome.alipayTransactionId).toBe(payment?.alipayTransactionId);
  });

  it('001: processing, then two inquiries processing, the third success', async () => {
    const id = newId(protocol);
    const outcomes = [await pay(id, '001'), await inquire(id), await inquire(id), await inquire(id)];
    expect(kinds(outcomes)).toEqual(['processing', 'processing', 'processing', 'success']);
    expect((await getPayment(sandbox.url, id))?.status).toBe('SUCCESS');
  });

  it('002: declined for insufficient balance', async () => {
    const id = newId(protocol);
    expect(kinds([await pay(id, '002')])).toEqual(['failure:insufficient-balance']);
    expect((await getPayment(sandbox.url, id))?.status).toBe('FAILED');
  });

  it('003: processing until cancelled; the cancel succeeds and the inquiry then says closed', async () => {
    const id = newId(protocol);
    const outcomes = [
      await pay(id, '003'),
      await inquire(id),
      await inquire(id),
      await inquire(id),
      await cancel(id),
      await inquire(id),
    ];
    expect(kinds(outcomes)).toEqual([
      'processing',
      'processing',
      'processing',
      'processing',
      'success',
      'failure:closed',
    ]);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'close' });
  });

  it('004: the pay times out at the adapter, yet the payment succeeded', async () => {
    const id = newId(protocol);
    const short = channelFor(protocol, { timeoutMs: SHORT_TIMEOUT_MS });
    const outcome = await short.pay(payRequest(protocol, id, code('004')));
    expect(kinds([outcome])).toEqual(['unknown:timeout']);
    expect((await getPayment(sandbox.url, id))?.status).toBe('SUCCESS');
    expect(kinds([await inquire(id)])).toEqual(['success']);
  });

  it('005: declined for an invalid or expired code', async () => {
    const id = newId(protocol);
    expect(kinds([await pay(id, '005')])).toEqual(['failure:invalid-code']);
    expect((await getPayment(sandbox.url, id))?.status).toBe('FAILED');
  });

  it('006: success; three cancels are unknown, the fourth succeeds', async () => {
    const id = newId(protocol);
    expect((await pay(id, '006')).kind).toBe('success');
    const outcomes = [await cancel(id), await cancel(id), await cancel(id), await cancel(id)];
    expect(kinds(outcomes)).toEqual([
      'unknown:status-unknown',
      'unknown:status-unknown',
      'unknown:status-unknown',
      'success',
    ]);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'CANCELLED', cancelAction: 'refund' });
    expect((await getPayment(sandbox.url, id))?.calls.map((c) => c.api)).toHaveLength(5);
  });

  it('007: declined by risk control', async () => {
    const id = newId(protocol);
    expect(kinds([await pay(id, '007')])).toEqual(['failure:risk-rejected']);
  });

  it('a repeated pay is answered from the same payment; different content is a duplicate-inconsistent failure', async () => {
    const id = newId(protocol);
    const paymentCode = code('000');
    const first = await channel.pay(payRequest(protocol, id, paymentCode));
    const again = await channel.pay(payRequest(protocol, id, paymentCode));
    expect(again.kind === 'success' && first.kind === 'success' && again.alipayTransactionId).toBe(
      first.kind === 'success' && first.alipayTransactionId,
    );
    const changed = await channel.pay({
      ...payRequest(protocol, id, paymentCode),
      amount: { amountMinor: 1251, currency: CURRENCY[protocol] },
    });
    expect(kinds([changed])).toEqual(['failure:duplicate-inconsistent']);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'SUCCESS', amountMinor: 1250 });
  });

  it('refunds: partial, repeated (no second refund), and never above the payment', async () => {
    const id = newId(protocol);
    const paid = await pay(id, '000');
    const alipayTransactionId = paid.kind === 'success' ? paid.alipayTransactionId : undefined;
    const refund = (refundRequestId: string, amountMinor: number) =>
      channel.refund({
        paymentRequestId: id,
        refundRequestId,
        amount: { amountMinor, currency: CURRENCY[protocol] },
        merchant,
        ...(alipayTransactionId ? { alipayTransactionId } : {}),
      });
    const outcomes = [
      await refund('RF1', 500),
      await refund('RF1', 500),
      await refund('RF2', 751),
      await refund('RF2', 750),
    ];
    expect(kinds(outcomes)).toEqual(['success', 'success', 'failure:refund-amount-exceeded', 'success']);
    expect(await getPayment(sandbox.url, id)).toMatchObject({ status: 'REFUNDED', refundedMinor: 1250 });
  });

  it('inquiry and cancel of an unknown payment are not-found failures', async () => {
    const id = newId(protocol);
    expect(kinds([await inquire(id), await cancel(id)])).toEqual(['failure:not-found', 'failure:not-found']);
  });

  it('a request signed with the wrong key is refused and makes no payment', async () => {
    const id = newId(protocol);
    const outcome = await channelFor(protocol, { wrongMerchantKey: true }).pay(
      payRequest(protocol, id, code('000')),
    );
    // Open Platform signs its refusal; AMS and MAPI leave it unsigned, and an unsigned refusal decides nothing.
    expect(kinds([outcome])).toEqual([protocol === 'openapi' ? 'failure:invalid-request' : 'unknown:bad-signature']);
    expect(await getPayment(sandbox.url, id)).toBeUndefined();
  });

  it('an answer that does not verify with the configured Alipay key is unknown, not trusted', async () => {
    const outcome = await channelFor(protocol, { wrongAlipayKey: true }).inquire({
      paymentRequestId: newId(protocol),
      merchant,
    });
    expect(kinds([outcome])).toEqual(['unknown:bad-signature']);
  });

  it('faults: refused connections and HTTP 500 are unknown outcomes', async () => {
    await setFaults(sandbox.url, { refuseAll: true });
    const refused = await pay(newId(protocol), '000');
    await setFaults(sandbox.url, { errorRate: 1 });
    const errored = await pay(newId(protocol), '000');
    expect(kinds([refused, errored])).toEqual(['unknown:network', 'unknown:http-error']);
  });

  it('the notification of a success verifies and parses in the adapter', async () => {
    const id = newId(protocol);
    const path = `/notify/${protocol}/${id}`;
    await channel.pay(payRequest(protocol, id, code('000'), `${receiver.url}${path}`));
    let arrived = receiver.received.find((n) => n.path === path);
    while (!arrived) {
      await receiver.waitFor(receiver.received.length + 1);
      arrived = receiver.received.find((n) => n.path === path);
    }
    const headers = Object.fromEntries(
      Object.entries(arrived.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
    );
    const incoming = { path, headers, rawBody: arrived.body };
    expect(channel.verifyNotification(incoming)).toBe(true);
    expect(
      channel.verifyNotification({
        ...incoming,
        rawBody: arrived.body.replace('1250', '1251').replace('12.50', '12.51'),
      }),
    ).toBe(false);
    expect(channel.parseNotification(incoming)).toMatchObject({
      paymentRequestId: id,
      status: 'success',
      amount: { amountMinor: 1250, currency: CURRENCY[protocol] },
    });
  });
});

describe('AMS agent token', () => {
  it('reaches the sandbox as the Agent-Token header on every call', async () => {
    const channel = channelFor('ams');
    const id = newId('ams');
    const isv = { ...merchant, agentToken: 'AGENT-TOKEN-123' };
    await channel.pay({ ...payRequest('ams', id, code('000')), merchant: isv });
    await channel.inquire({ paymentRequestId: id, merchant: isv });
    const payment = await getPayment(sandbox.url, id);
    expect(payment?.calls.map((c) => c.headers['agent-token'])).toEqual([
      'AGENT-TOKEN-123',
      'AGENT-TOKEN-123',
    ]);
  });
});
