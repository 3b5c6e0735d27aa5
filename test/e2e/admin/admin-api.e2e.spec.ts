/**
 * The admin API over real HTTP against the running switch (MariaDB and the embedded SQLite): every route
 * class behind 401 and 403, the audit entry of each write, the refusals, transactions driven by a POS over
 * a real socket and the sandbox over HTTP, and no answer carrying a secret or a clear payment code.
 */
import { loadSandboxCredentials } from '@switch/alipay';
import { Field } from '@switch/iso8583';
import { echo, purchase as purchaseMessage } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { runAdminCli } from '../../../src/admin/cli/admin-cli';
import { MerchantCatalog } from '../../../src/persistence/merchant-catalog';
import { demoTerminal, eventually, nextStan, paymentCode, sandboxPayment } from '../../support/pos-helpers';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';
import { buy, type Purchased } from '../reversals/reversal-helpers';
import { AdminClient, type Answer } from './admin-client';

const BOOTSTRAP_KEY = 'bootstrap-key-for-tests-0123456789abcdef';
const MAC_KEY = '0123456789ABCDEFFEDCBA9876543210';
// Three cancel attempts, each refused by code ...006's first three cancels: the cancel gives up.
const ENV = {
  ADMIN_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
  CANCEL_RETRY_INTERVAL_MS: '50',
  CANCEL_RETRY_WINDOW_MS: '100',
  CANCEL_BACKOFF_MS: 'none',
  OUTBOX_POLL_INTERVAL_MS: '200',
  LOG_LEVEL: 'warn',
};
const reason = 'e2e test';

describe.each([['MariaDB', 'mysql'] as const, ['embedded SQLite', 'sqlite'] as const])('admin API on %s', (_label, database) => {
  let sut: SwitchUnderTest;
  let api: AdminClient;
  let pos: PosClient;
  const keys = { admin: BOOTSTRAP_KEY, operator: '', viewer: '' };
  const secrets: string[] = [BOOTSTRAP_KEY, MAC_KEY, MAC_KEY.toLowerCase()];
  const writes: Answer[] = [];
  const purchases: Purchased[] = [];
  const codes: string[] = [];

  const write = async (method: string, path: string, key: string, body?: unknown, headers?: Record<string, string>) => {
    const answer = await api.call(method, path, { key, body, headers });
    writes.push(answer);
    return answer;
  };
  const payment = async (paymentRequestId: string): Promise<Answer['body']> =>
    (await api.call('GET', `/admin/v1/transactions/${paymentRequestId}`, { key: keys.viewer })).body;
  const purchase = async (behaviour: string, terminalIndex = 0) => {
    const bought = await buy(pos, behaviour, 'ams', terminalIndex);
    purchases.push(bought);
    return bought;
  };

  beforeAll(async () => {
    sut = await startTestSwitch(database, ENV);
    api = new AdminClient(sut.running.httpUrl);
    pos = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
    const sandbox = loadSandboxCredentials();
    secrets.push(sandbox.ams.merchantPrivateKey.split('\n')[1], sandbox.mapi.md5Key);
  }, 60_000);

  afterAll(async () => {
    await pos?.close();
    await sut?.stop();
  });

  it('creates API keys shown once, lists them without keys, and takes a key from npm run admin', async () => {
    for (const role of ['operator', 'viewer'] as const) {
      const created = await write('POST', '/admin/v1/api-keys', keys.admin, { name: `${role}-key`, role, reason });
      expect(created.status).toBe(201);
      expect(Buffer.from(created.body.key.slice(4), 'base64url').length).toBeGreaterThanOrEqual(16);
      keys[role] = created.body.key;
    }
    secrets.push(keys.operator, keys.viewer);
    const listed = await api.call('GET', '/admin/v1/api-keys?limit=2', { key: keys.admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.nextCursor).toEqual(expect.any(String));
    const rest = await api.call('GET', `/admin/v1/api-keys?cursor=${listed.body.nextCursor}`, { key: keys.admin });
    const all = [...listed.body.items, ...rest.body.items];
    expect(all.map((k: { name: string }) => k.name).sort()).toEqual(['bootstrap', 'operator-key', 'viewer-key']);
    expect(all.every((k: object) => !('key' in k) && !('keyHash' in k))).toBe(true);

    const lines: string[] = [];
    const env = database === 'mysql' ? { DATABASE_URL: sut.db.config.url } : { SQLITE_PATH: sut.db.config.sqlitePath };
    if (database === 'mysql') {
      expect(await runAdminCli(['create-key', '--name', 'cli-key', '--role', 'viewer', '--reason', reason], env, (l) => lines.push(l))).toBe(0);
      const cliKey = JSON.parse(lines.join('\n')).key as string;
      secrets.push(cliKey);
      expect((await api.call('GET', '/admin/v1/transactions', { key: cliKey })).status).toBe(200);
      const revoked = await write('DELETE', `/admin/v1/api-keys/${JSON.parse(lines.join('\n')).id}?reason=leaver`, keys.admin);
      expect(revoked.status).toBe(200);
      expect((await api.call('GET', '/admin/v1/transactions', { key: cliKey })).status).toBe(401);
    }
  });

  it('answers 401 without a valid key and 403 below the role, on every route class, before anything else', async () => {
    const routes: Array<[method: string, path: string, role: 'viewer' | 'operator' | 'admin']> = [
      ['GET', '/admin/v1/transactions', 'viewer'],
      ['GET', '/admin/v1/transactions/none', 'viewer'],
      ['POST', '/admin/v1/transactions/none/inquire', 'operator'],
      ['POST', '/admin/v1/transactions/none/cancel', 'operator'],
      ['POST', '/admin/v1/transactions/none/refunds', 'operator'],
      ['GET', '/admin/v1/interventions', 'viewer'],
      ['POST', '/admin/v1/interventions/1/retry', 'operator'],
      ['POST', '/admin/v1/interventions/1/resolve', 'admin'],
      ['GET', '/admin/v1/reversals', 'viewer'],
      ['GET', '/admin/v1/reversals/dead-letters', 'viewer'],
      ['POST', '/admin/v1/reversals/dead-letters/none/replay', 'operator'],
      ['GET', '/admin/v1/merchants', 'viewer'],
      ['POST', '/admin/v1/merchants', 'admin'],
      ['PATCH', '/admin/v1/merchants/MERCHANT0000001', 'admin'],
      ['PUT', '/admin/v1/merchants/MERCHANT0000001/credentials', 'admin'],
      ['DELETE', '/admin/v1/merchants/MERCHANT0000001', 'admin'],
      ['GET', '/admin/v1/terminals', 'viewer'],
      ['POST', '/admin/v1/terminals', 'admin'],
      ['PATCH', '/admin/v1/terminals/TERM0001', 'admin'],
      ['PUT', '/admin/v1/terminals/TERM0001/mac-key', 'admin'],
      ['DELETE', '/admin/v1/terminals/TERM0001', 'admin'],
      ['GET', '/admin/v1/sessions', 'viewer'],
      ['POST', '/admin/v1/sessions/TERM0001/disconnect', 'operator'],
      ['GET', '/admin/v1/api-keys', 'admin'],
      ['POST', '/admin/v1/api-keys', 'admin'],
      ['DELETE', '/admin/v1/api-keys/none', 'admin'],
      ['GET', '/admin/v1/audit', 'admin'],
      ['GET', '/admin/v1/no-such-route', 'viewer'],
    ];
    const below = { viewer: undefined, operator: keys.viewer, admin: keys.operator };
    for (const [method, path, role] of routes) {
      for (const key of [undefined, 'swk_wrong', keys.viewer.slice(0, -2) + 'xx']) {
        // A body that does not even parse: the key is still checked first.
        const answer = await api.call(method, path, { key, rawBody: method === 'GET' ? undefined : '{not json' });
        expect([method, path, answer.status]).toEqual([method, path, 401]);
        expect(answer.contentType).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 401, detail: expect.any(String) });
      }
      const lower = below[role];
      if (lower === undefined) continue;
      const answer = await api.call(method, path, { key: lower, body: method === 'GET' ? undefined : { reason } });
      expect([method, path, answer.status]).toEqual([method, path, 403]);
      expect(answer.contentType).toContain('application/problem+json');
    }
    const unknown = await api.call('GET', '/admin/v1/no-such-route', { key: keys.viewer });
    expect([unknown.status, unknown.contentType]).toEqual([404, expect.stringContaining('application/problem+json')]);
    const audit = await api.call('GET', '/admin/v1/audit?action=transaction.cancel', { key: keys.admin });
    expect(audit.body.items).toEqual([]);
  });

  it('refuses a write without a reason (400) and changes nothing', async () => {
    const bought = await purchase('000');
    for (const body of [{}, { reason: '   ' }]) {
      const answer = await api.call('POST', `/admin/v1/transactions/${bought.paymentRequestId}/cancel`, { key: keys.operator, body });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.errors).toContain('reason');
    }
    expect((await api.call('DELETE', '/admin/v1/terminals/TERM0030', { key: keys.admin })).status).toBe(400);
    expect((await payment(bought.paymentRequestId)).payment.state).toBe('APPROVED');
  });

  it('lists and filters transactions with cursor paging, and shows one with its history, code masked', async () => {
    const a = await purchase('000');
    const b = await purchase('002');
    const today = new Date().toISOString().slice(0, 10);
    const list = async (query: string): Promise<Answer['body']> =>
      (await api.call('GET', `/admin/v1/transactions?${query}`, { key: keys.viewer })).body;
    expect((await list(`from=${today}T00:00:00Z&terminalId=${a.terminal.terminalId}`)).items.map((p: { paymentRequestId: string }) => p.paymentRequestId)).toEqual(
      expect.arrayContaining([a.paymentRequestId, b.paymentRequestId]),
    );
    expect((await list('state=DECLINED')).items.map((p: { paymentRequestId: string }) => p.paymentRequestId)).toContain(b.paymentRequestId);
    expect((await list(`rrn=${a.reply.get(Field.Rrn)}`)).items).toHaveLength(1);
    expect((await list(`stan=${a.stan}&merchantId=${a.terminal.merchantId}&channel=ams`)).items[0].paymentRequestId).toBe(a.paymentRequestId);
    expect((await list(`minAmountMinor=${a.amountMinor}&maxAmountMinor=${a.amountMinor}`)).items[0].paymentRequestId).toBe(a.paymentRequestId);
    expect((await list(`paymentRequestId=${a.paymentRequestId}&inDoubt=false`)).items).toHaveLength(1);
    expect((await list(`paymentRequestId=${a.paymentRequestId}&inDoubt=true`)).items).toHaveLength(0);
    const alipayId = (await payment(a.paymentRequestId)).payment.alipayTransactionId;
    expect((await list(`alipayTransactionId=${alipayId}`)).items[0].paymentRequestId).toBe(a.paymentRequestId);
    expect((await list('to=2000-01-01T00:00:00Z')).items).toEqual([]);

    const first = await list('limit=1');
    const second = await list(`limit=1&cursor=${first.nextCursor}`);
    expect(first.items[0].paymentRequestId).not.toBe(second.items[0].paymentRequestId);
    expect((await api.call('GET', '/admin/v1/transactions?limit=201', { key: keys.viewer })).status).toBe(400);
    expect((await api.call('GET', '/admin/v1/transactions?cursor=bogus', { key: keys.viewer })).status).toBe(400);

    const detail = await payment(a.paymentRequestId);
    expect(detail.payment.paymentCodeMasked).toMatch(/^28\*+\d{4}$/);
    expect(detail.payment).not.toHaveProperty('paymentCodeHash');
    expect(detail.history.map((h: { type: string }) => h.type)).toEqual(expect.arrayContaining(['STATE_CHANGED', 'ALIPAY_CALL']));
    expect(detail.history.find((h: { type: string }) => h.type === 'ALIPAY_CALL')).toMatchObject({ api: expect.any(String), latencyMs: expect.any(Number), outcome: 'success' });
    expect((await api.call('GET', '/admin/v1/transactions/nope', { key: keys.viewer })).status).toBe(404);
  });

  it('inquires Alipay now and records the call; refunds once per Idempotency-Key under the terminal rules', async () => {
    const bought = await purchase('000');
    const inquired = await write('POST', `/admin/v1/transactions/${bought.paymentRequestId}/inquire`, keys.operator, { reason });
    expect(inquired.status).toBe(200);
    expect(inquired.body.alipay.outcome).toBe('success');
    const calls = (await payment(bought.paymentRequestId)).history.filter((h: { type: string }) => h.type === 'ALIPAY_CALL');
    expect(calls.length).toBe(2);

    const path = `/admin/v1/transactions/${bought.paymentRequestId}/refunds`;
    expect((await api.call('POST', path, { key: keys.operator, body: { amountMinor: 100, reason } })).status).toBe(400);
    const key = { 'idempotency-key': `refund-${bought.paymentRequestId}` };
    const first = await write('POST', path, keys.operator, { amountMinor: 100, reason }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'approved', refund: { state: 'SUCCEEDED', amountMinor: 100 } });
    const again = await api.call('POST', path, { key: keys.operator, body: { amountMinor: 100, reason }, headers: key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await api.call('POST', path, { key: keys.operator, body: { amountMinor: 101, reason }, headers: key })).status).toBe(422);
    const tooMuch = await write('POST', path, keys.operator, { amountMinor: bought.amountMinor, reason }, { 'idempotency-key': `too-much-${bought.paymentRequestId}` });
    expect(tooMuch.status).toBe(422);
    const detail = await payment(bought.paymentRequestId);
    expect(detail.refunds).toHaveLength(1);
    expect(detail.payment.refundedMinor).toBe(100);
    expect((await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.refundedMinor).toBe(100);
  });

  it('cancels through the reversal path and queue', async () => {
    const bought = await purchase('000');
    const cancelled = await write('POST', `/admin/v1/transactions/${bought.paymentRequestId}/cancel`, keys.operator, { reason });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ result: 'requested', payment: { state: 'CANCEL_REQUESTED', cancelReason: 'operator' } });
    await eventually(async () => ((await payment(bought.paymentRequestId)).payment.state === 'CANCELLED' ? true : undefined));
    expect((await sandboxPayment(sut.sandboxUrl, bought.paymentRequestId))?.status).toBe('CANCELLED');
    const declined = await purchase('002');
    expect((await write('POST', `/admin/v1/transactions/${declined.paymentRequestId}/cancel`, keys.operator, { reason })).status).toBe(409);
  });

  it('shows dead cancels as interventions and dead letters, refuses a resolution Alipay contradicts, retries and replays them', async () => {
    const retried = await purchase('006');
    const replayed = await purchase('006', 1);
    for (const p of [retried, replayed])
      expect((await write('POST', `/admin/v1/transactions/${p.paymentRequestId}/cancel`, keys.operator, { reason })).status).toBe(202);
    const open = await eventually(async () => {
      const items = (await api.call('GET', '/admin/v1/interventions?status=open', { key: keys.viewer })).body.items as Array<{ id: string; paymentRequestId: string }>;
      const mine = items.filter((i) => [retried.paymentRequestId, replayed.paymentRequestId].includes(i.paymentRequestId));
      return mine.length === 2 ? mine : undefined;
    });
    // The worker opens the entry, then flags the payment, then the queue marks the job dead.
    const queue = await eventually(async () => {
      const summary = (await api.call('GET', '/admin/v1/reversals', { key: keys.viewer })).body as { deadLetters: number; cancelJobs: { dead: number } };
      return summary.deadLetters === 2 && summary.cancelJobs.dead === 2 ? summary : undefined;
    });
    expect(queue).toMatchObject({ mode: 'in-process', outbox: { backlog: expect.any(Number) }, deadLetters: 2, openInterventions: 2 });
    const dead = await api.call('GET', '/admin/v1/reversals/dead-letters', { key: keys.viewer });
    expect(dead.body.items.map((d: { id: string }) => d.id).sort()).toEqual([retried.paymentRequestId, replayed.paymentRequestId].sort());

    const entry = open.find((i) => i.paymentRequestId === retried.paymentRequestId)!;
    const resolve = `/admin/v1/interventions/${entry.id}/resolve`;
    expect((await write('POST', resolve, keys.admin, { resolution: 'cancelled', reason })).status).toBe(400);
    const contradicted = await write('POST', resolve, keys.admin, { resolution: 'cancelled', note: 'customer says cancelled', reason });
    expect(contradicted.status).toBe(409);
    expect(contradicted.body.detail).toMatch(/Alipay reports the payment as paid/);
    expect((await payment(retried.paymentRequestId)).payment.state).toBe('CANCEL_REQUESTED');

    expect((await write('POST', `/admin/v1/interventions/${entry.id}/retry`, keys.operator, { reason })).status).toBe(202);
    expect((await write('POST', `/admin/v1/reversals/dead-letters/${replayed.paymentRequestId}/replay`, keys.operator, { reason })).status).toBe(202);
    for (const p of [retried, replayed]) {
      await eventually(async () => ((await payment(p.paymentRequestId)).payment.state === 'CANCELLED' ? true : undefined));
      expect((await sandboxPayment(sut.sandboxUrl, p.paymentRequestId))?.status).toBe('CANCELLED');
    }
    expect((await write('POST', `/admin/v1/interventions/${entry.id}/retry`, keys.operator, { reason })).status).toBe(409);

    // An entry no payment waits on (an unreadable order) is dismissed.
    await sut.running.dataSource.query(
      "INSERT INTO manual_interventions (payment_request_id, reason, detail, created_at, open_key) VALUES ('orphan-order', 'unprocessable', 'payload is not JSON', '2026-01-01 00:00:00.000', 'orphan-order')",
    );
    const orphan = (await api.call('GET', '/admin/v1/interventions', { key: keys.viewer })).body.items.find((i: { paymentRequestId: string }) => i.paymentRequestId === 'orphan-order');
    const dismissed = await write('POST', `/admin/v1/interventions/${orphan.id}/resolve`, keys.admin, { resolution: 'dismissed', note: 'nothing to do', reason });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.intervention).toMatchObject({ status: 'resolved', resolution: 'dismissed' });
  });

  it('manages merchants and terminals with write-only secrets, effective without a restart; a suspended terminal gets 58; a too-long merchant timeout is refused', async () => {
    const sandbox = loadSandboxCredentials();
    const credentials = { channel: 'ams', clientId: sandbox.ams.clientId, merchantPrivateKey: sandbox.ams.merchantPrivateKey, alipayPublicKey: sandbox.ams.alipayPublicKey };
    const merchant = { merchantId: 'MERCHANT0000099', name: 'Test Shop', mcc: '5411', storeId: 'S-99', storeName: 'Test Shop Main', endpoint: 'sandbox', credentials, reason };
    const created = await write('POST', '/admin/v1/merchants', keys.admin, merchant);
    expect(created.status).toBe(201);
    expect(created.body.credentials).toEqual({ set: true, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect((await write('POST', '/admin/v1/merchants', keys.admin, merchant)).status).toBe(409);
    // Receipts print local time on the merchant's clock: UTC until set, any IANA zone, nothing else.
    expect(created.body.timeZone).toBe('UTC');
    const zoned = await write('PATCH', '/admin/v1/merchants/MERCHANT0000099', keys.admin, { timeZone: 'Asia/Tokyo', reason });
    expect(zoned.status).toBe(200);
    expect(zoned.body.timeZone).toBe('Asia/Tokyo');
    const badZone = await write('PATCH', '/admin/v1/merchants/MERCHANT0000099', keys.admin, { timeZone: 'Mars/Olympus', reason });
    expect(badZone.status).toBe(400);
    expect(JSON.stringify(badZone.body)).toContain('timeZone');
    expect((await api.call('GET', '/admin/v1/merchants/MERCHANT0000099', { key: keys.viewer })).body.timeZone).toBe('Asia/Tokyo');
    // The catalog forgot its copy: the next payment's merchant reads the new zone.
    expect((await sut.running.app.get(MerchantCatalog).route('MERCHANT0000099', 'TERM0099'))?.merchant.timeZone).toBe('Asia/Tokyo');
    const badKey = await write('PUT', '/admin/v1/merchants/MERCHANT0000099/credentials', keys.admin, { credentials: { ...credentials, merchantPrivateKey: 'not a key' }, reason });
    expect(badKey.status).toBe(422);

    const tooLong = await write('POST', '/admin/v1/terminals', keys.admin, { terminalId: 'TERM0099', merchantId: 'MERCHANT0000099', dialect: 'ascii', merchantTimeoutMs: 6_000, reason });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.detail).toMatch(/gateway timeout/);
    const terminal = await write('POST', '/admin/v1/terminals', keys.admin, { terminalId: 'TERM0099', merchantId: 'MERCHANT0000099', dialect: 'ascii', merchantTimeoutMs: 3_000, reason });
    expect(terminal.status).toBe(201);
    expect(terminal.body.macKey).toEqual({ set: false });
    expect((await write('PATCH', '/admin/v1/terminals/TERM0099', keys.admin, { merchantTimeoutMs: 7_000, reason })).status).toBe(422);

    const shop = { terminalId: 'TERM0099', merchantId: 'MERCHANT0000099' };
    const buyAtShop = async () => {
      const code = paymentCode('000');
      codes.push(code);
      const reply = await pos.send(purchaseMessage({ ...shop, stan: nextStan(), amountMinor: 777, paymentCode: code }));
      expect(reply.get(Field.ResponseCode)).toBe('00');
      return (await payment(reply.get(Field.ReservedPrivate63)!)).payment.channel as string;
    };
    expect(await buyAtShop()).toBe('ams');
    const mapi = await write('PUT', '/admin/v1/merchants/MERCHANT0000099/credentials', keys.admin, { credentials: { channel: 'mapi', partner: sandbox.mapi.partner, signType: 'MD5', md5Key: sandbox.mapi.md5Key }, reason });
    expect(mapi.status).toBe(200);
    expect(mapi.body).toMatchObject({ channel: 'mapi', credentials: { set: true } });
    expect(mapi.body.credentials.keyId).not.toBe(created.body.credentials.keyId);
    expect(await buyAtShop()).toBe('mapi');

    const keyed = await write('PUT', '/admin/v1/terminals/TERM0099/mac-key', keys.admin, { macKey: MAC_KEY, reason });
    expect(keyed.body.macKey).toEqual({ set: true, keyCheckValue: expect.stringMatching(/^[0-9A-F]{6}$/) });
    // From its next message the terminal must MAC; this probe does not, so it is refused with 63.
    expect((await pos.send(echo({ terminalId: 'TERM0099', stan: nextStan() }))).get(Field.ResponseCode)).toBe('63');
    expect((await write('PUT', '/admin/v1/terminals/TERM0099/mac-key', keys.admin, { macKey: null, reason })).body.macKey).toEqual({ set: false });
    expect((await pos.send(echo({ terminalId: 'TERM0099', stan: nextStan() }))).get(Field.ResponseCode)).toBe('00');

    expect((await write('PATCH', '/admin/v1/merchants/MERCHANT0000099', keys.admin, { status: 'suspended', reason })).body.status).toBe('suspended');
    expect((await api.call('GET', '/admin/v1/merchants/MERCHANT0000099', { key: keys.viewer })).body.status).toBe('suspended');
    const listed = await api.call('GET', '/admin/v1/terminals?merchantId=MERCHANT0000099', { key: keys.viewer });
    expect(listed.body.items).toHaveLength(1);
    expect((await write('DELETE', '/admin/v1/merchants/MERCHANT0000099?reason=cleanup', keys.admin)).status).toBe(409);
    expect((await write('DELETE', '/admin/v1/terminals/TERM0099?reason=cleanup', keys.admin)).status).toBe(409);

    const { terminalId } = demoTerminal('ams', 'ascii', 4);
    const probe = () => pos.send(echo({ terminalId, stan: nextStan() }));
    expect((await probe()).get(Field.ResponseCode)).toBe('00');
    expect((await write('PATCH', `/admin/v1/terminals/${terminalId}`, keys.admin, { status: 'suspended', reason })).status).toBe(200);
    expect((await probe()).get(Field.ResponseCode)).toBe('58');
    expect((await write('PATCH', `/admin/v1/terminals/${terminalId}`, keys.admin, { status: 'active', reason })).status).toBe(200);
    expect((await probe()).get(Field.ResponseCode)).toBe('00');

    const merchants = await api.call('GET', '/admin/v1/merchants?limit=2', { key: keys.viewer });
    expect(merchants.body.items.map((m: { merchantId: string }) => m.merchantId)).toEqual(['MERCHANT0000001', 'MERCHANT0000002']);
    const nextMerchants = await api.call('GET', `/admin/v1/merchants?limit=2&cursor=${merchants.body.nextCursor}`, { key: keys.viewer });
    expect(nextMerchants.body.items.map((m: { merchantId: string }) => m.merchantId)).toEqual(['MERCHANT0000003', 'MERCHANT0000004']);
    const lastMerchants = await api.call('GET', `/admin/v1/merchants?limit=2&cursor=${nextMerchants.body.nextCursor}`, { key: keys.viewer });
    expect(lastMerchants.body.items.map((m: { merchantId: string }) => m.merchantId)).toEqual(['MERCHANT0000005', 'MERCHANT0000099']);
    expect((await write('POST', '/admin/v1/merchants', keys.admin, { ...merchant, merchantId: 'MERCHANT0000098' })).status).toBe(201);
    expect((await write('DELETE', '/admin/v1/merchants/MERCHANT0000098?reason=cleanup', keys.admin)).status).toBe(200);
    expect((await api.call('GET', '/admin/v1/merchants/MERCHANT0000098', { key: keys.viewer })).status).toBe(404);

    const spare = await write('POST', '/admin/v1/terminals', keys.admin, { terminalId: 'TERM0098', merchantId: 'MERCHANT0000003', dialect: 'nac-bcd', reason });
    expect(spare.body).toMatchObject({ merchantTimeoutMs: 4_000, status: 'active' });
    expect((await write('DELETE', '/admin/v1/terminals/TERM0098?reason=cleanup', keys.admin)).status).toBe(200);
    expect((await api.call('GET', '/admin/v1/terminals/TERM0098', { key: keys.viewer })).status).toBe(404);
  });

  it('lists connected terminals and disconnects one', async () => {
    const other = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 8_000 });
    const { terminalId } = demoTerminal('ams', 'ascii', 3);
    await other.send(echo({ terminalId, stan: nextStan() }));
    const sessions = await api.call('GET', '/admin/v1/sessions', { key: keys.viewer });
    expect(sessions.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ terminalId, merchantId: 'MERCHANT0000001', dialect: 'ascii', remoteAddress: expect.stringContaining('127.0.0.1'), signedOn: false })]),
    );
    const closed = await write('POST', `/admin/v1/sessions/${terminalId}/disconnect`, keys.operator, { reason });
    expect(closed.body).toEqual({ terminalId, closed: 1 });
    await other.closed;
    expect((await write('POST', `/admin/v1/sessions/${terminalId}/disconnect`, keys.operator, { reason })).status).toBe(404);
  });

  it('leaves one audit entry per write, with who, role, action, target, before/after, reason and request id; the table is append-only', async () => {
    const entries: Array<Record<string, unknown>> = [];
    let cursor = '';
    do {
      const page = await api.call('GET', `/admin/v1/audit?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { key: keys.admin });
      entries.push(...page.body.items);
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    const audited = writes.filter((w) => w.status < 400 || [409, 422].includes(w.status));
    for (const w of audited) {
      const mine = entries.filter((e) => e.requestId === w.requestId);
      expect([w.requestId, w.status, mine.length]).toEqual([w.requestId, w.status, 1]);
      expect(mine[0]).toMatchObject({ actor: expect.any(String), role: expect.any(String), action: expect.any(String), targetType: expect.any(String), targetId: expect.any(String), reason: expect.any(String), at: expect.any(String) });
    }
    for (const w of writes.filter((w) => w.status === 400)) expect(entries.some((e) => e.requestId === w.requestId)).toBe(false);
    const cancel = entries.find((e) => e.action === 'transaction.cancel' && e.outcome === 'requested');
    expect(cancel).toMatchObject({ actor: 'operator-key', role: 'operator', reason, before: { state: 'APPROVED' }, after: { state: 'CANCEL_REQUESTED' } });
    const refused = entries.find((e) => e.action === 'intervention.resolve' && String(e.outcome).startsWith('refused'));
    expect(refused).toMatchObject({ actor: 'bootstrap', role: 'admin' });
    const filtered = await api.call('GET', '/admin/v1/audit?action=merchant.credentials&targetId=MERCHANT0000099', { key: keys.admin });
    expect(filtered.body.items.length).toBeGreaterThanOrEqual(1);

    await expect(sut.running.dataSource.query("UPDATE admin_audit SET reason = 'rewritten'")).rejects.toThrow(/append-only/);
    await expect(sut.running.dataSource.query('DELETE FROM admin_audit')).rejects.toThrow(/append-only/);
  });

  it('publishes OpenAPI 3 with every route, its role and errors, and a Swagger UI', async () => {
    const spec = (await api.call('GET', '/admin/openapi.json')).body;
    expect(spec.openapi).toMatch(/^3\./);
    const operations = Object.entries(spec.paths as Record<string, Record<string, { description: string; responses: Record<string, unknown> }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(27);
    for (const { op } of operations) {
      expect(op.description).toMatch(/Role: \*\*(viewer|operator|admin)\*\*/);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
    }
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ui = await fetch(`${sut.running.httpUrl}/admin/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('never answers with a secret or a clear payment code', () => {
    expect(api.seen.length).toBeGreaterThan(100);
    for (const { request, text } of api.seen) {
      const creation = /api-keys$/.test(request) && text.includes('"key"');
      for (const secret of [...secrets, ...codes, ...purchases.map((p) => p.paymentCode)]) {
        if (creation && (secret === keys.operator || secret === keys.viewer)) continue;
        expect([request, text.includes(secret)]).toEqual([request, false]);
      }
      // The OpenAPI document names these fields; no answer about data may carry them.
      if (request.endsWith('openapi.json')) continue;
      expect([request, /PRIVATE KEY|md5Key|macKeySealed|credentialsSealed|keyHash|key_hash/.test(text)]).toEqual([request, false]);
    }
  });
});
