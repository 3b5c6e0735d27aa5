import {
  amsNotifyProtocol,
  amsSignContent,
  formatAmsSignatureHeader,
  loadPrivateKey,
  loadPublicKey,
  loadSandboxCredentials,
  mapiMd5Sign,
  mapiNotifyProtocol,
  mediaTypeIs,
  NotifyFormatError,
  openapiNotifyProtocol,
  openapiNotifySignContent,
  rsaSign,
} from '../src';
import { IsvRegistry } from '../src/sandbox/isv/isv-registry';

const sandbox = loadSandboxCredentials();
const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

describe('AMS notifications', () => {
  const keys = { alipayPublicKey: loadPublicKey(sandbox.ams.alipayPublicKey) };
  const signed = (body: string, path = '/notifications/ams') => {
    const time = '2026-01-01T00:00:00Z';
    const signature = rsaSign(
      amsSignContent('POST', path, 'C1', time, body),
      loadPrivateKey(sandbox.ams.alipayPrivateKey),
    );
    return {
      path,
      rawBody: body,
      headers: { 'client-id': 'C1', 'request-time': time, signature: formatAmsSignatureHeader(signature) },
    };
  };

  it('reads a payment result, verifies it over path, client id, time and body, and answers result S exactly', () => {
    const body = JSON.stringify({
      notifyType: 'PAYMENT_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      paymentRequestId: 'P1',
      paymentId: 'A1',
      paymentAmount: { currency: 'USD', value: '1250' },
    });
    const req = signed(body);
    expect(amsNotifyProtocol.read(req)).toEqual({
      identity: 'C1',
      notifyId: 'P1/PAYMENT_RESULT',
      notice: {
        kind: 'payment',
        paymentRequestId: 'P1',
        status: 'success',
        amount: { amountMinor: 1250, currency: 'USD' },
        alipayTransactionId: 'A1',
      },
    });
    expect(amsNotifyProtocol.verify(req, keys)).toBe(true);
    expect(amsNotifyProtocol.verify({ ...req, path: '/elsewhere' }, keys)).toBe(false);
    expect(amsNotifyProtocol.verify({ ...req, rawBody: body.replace('1250', '1251') }, keys)).toBe(false);
    const ack = amsNotifyProtocol.acknowledge();
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.body)).toEqual({
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    });
    expect(JSON.parse(amsNotifyProtocol.refuse(401, 'bad signature').body).result.resultStatus).toBe('U');
  });

  it('tells an agent-token notification by its accessToken, and refuses what it cannot read', () => {
    const read = amsNotifyProtocol.read(
      signed(
        JSON.stringify({
          clientId: 'C1',
          authClientId: 'M1',
          authTime: '1491746302568',
          accessToken: 'T',
          accessTokenExpiryTime: '',
        }),
      ),
    );
    expect(read.notice).toEqual({
      kind: 'agent-token',
      authClientId: 'M1',
      accessToken: 'T',
      authTime: 1491746302568,
    });
    expect(() => amsNotifyProtocol.read({ path: '/n', headers: {}, rawBody: '{}' })).toThrow(
      NotifyFormatError,
    );
    expect(() =>
      amsNotifyProtocol.read({ path: '/n', headers: { 'client-id': 'C1' }, rawBody: 'not json' }),
    ).toThrow(NotifyFormatError);
  });
});

describe('Open Platform notifications', () => {
  const keys = { alipayPublicKey: loadPublicKey(sandbox.openapi.alipayPublicKey) };
  const signed = (params: Record<string, string>) => {
    const all = { app_id: 'APP', notify_id: 'N1', charset: 'utf-8', sign_type: 'RSA2', ...params };
    return {
      path: '/n',
      headers: {},
      rawBody: form({
        ...all,
        sign: rsaSign(openapiNotifySignContent(all), loadPrivateKey(sandbox.openapi.alipayPrivateKey)),
      }),
    };
  };

  it('verifies by the v1 rule and reads trade_status_sync, including states that settle nothing', () => {
    const req = signed({
      notify_type: 'trade_status_sync',
      out_trade_no: 'P1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '12.50',
      seller_id: '2088X',
    });
    expect(openapiNotifyProtocol.verify(req, keys)).toBe(true);
    expect(openapiNotifyProtocol.read(req).notice).toMatchObject({
      kind: 'payment',
      status: 'success',
      amount: { amountMinor: 1250, currency: 'CNY' },
      sellerId: '2088X',
    });
    const waiting = signed({
      notify_type: 'trade_status_sync',
      out_trade_no: 'P1',
      trade_status: 'WAIT_BUYER_PAY',
    });
    expect(openapiNotifyProtocol.read(waiting).notice).toMatchObject({ status: 'pending' });
    expect(
      openapiNotifyProtocol.verify({ ...req, rawBody: req.rawBody.replace('12.50', '99.00') }, keys),
    ).toBe(false);
    expect(openapiNotifyProtocol.acknowledge().body).toBe('success');
    expect(openapiNotifyProtocol.refuse(409, 'x').body).toBe('fail');
  });

  it('reads app authorizations (token or code only) and their cancellation; refuses other versions and charsets', () => {
    const auth = signed({
      notify_type: 'open_app_auth_notify',
      version: '1.0',
      biz_content: JSON.stringify({ detail: { auth_app_id: 'M', auth_time: 5, app_auth_code: 'C' } }),
    });
    expect(openapiNotifyProtocol.read(auth).notice).toEqual({
      kind: 'app-auth',
      authAppId: 'M',
      authTime: 5,
      appAuthCode: 'C',
    });
    const cancelled = signed({
      msg_method: 'alipay.open.auth.appauth.cancelled',
      biz_content: JSON.stringify({ auth_app_id: 'M', auth_time: 9 }),
    });
    expect(openapiNotifyProtocol.read(cancelled).notice).toEqual({
      kind: 'app-auth-cancelled',
      authAppId: 'M',
      authTime: 9,
    });
    expect(() =>
      openapiNotifyProtocol.read(
        signed({ notify_type: 'open_app_auth_notify', version: '2.0', biz_content: '{}' }),
      ),
    ).toThrow(NotifyFormatError);
    expect(() =>
      openapiNotifyProtocol.read(
        signed({ notify_type: 'trade_status_sync', charset: 'gbk', out_trade_no: 'P' }),
      ),
    ).toThrow(NotifyFormatError);
  });
});

describe('MAPI notifications', () => {
  it('verifies MD5 with the partner key, names the partner, and asks for notify_verify', () => {
    const params: Record<string, string> = {
      notify_id: 'N',
      partner: '2088000000000001',
      notify_type: 'trade_status_sync',
      partner_trans_id: 'P',
      trade_status: 'TRADE_SUCCESS',
      trans_amount: '1.00',
      currency: 'USD',
    };
    const req = {
      path: '/n',
      headers: {},
      rawBody: form({ ...params, sign: mapiMd5Sign(params, sandbox.mapi.md5Key), sign_type: 'MD5' }),
    };
    expect(mapiNotifyProtocol.verify(req, { md5Key: sandbox.mapi.md5Key })).toBe(true);
    expect(mapiNotifyProtocol.verify(req, { md5Key: 'x'.repeat(32) })).toBe(false);
    expect(mapiNotifyProtocol.read(req)).toMatchObject({
      identity: '2088000000000001',
      notifyId: 'N',
      needsNotifyVerify: true,
    });
    expect(() => mapiNotifyProtocol.read({ ...req, rawBody: form({ notify_id: 'N' }) })).toThrow(
      NotifyFormatError,
    );
  });
});

describe('media types', () => {
  it('takes the protocol type with UTF-8 or no charset only', () => {
    expect(mediaTypeIs('application/json; charset=UTF-8', 'application/json')).toBe(true);
    expect(mediaTypeIs('application/json', 'application/json')).toBe(true);
    expect(mediaTypeIs('application/json; charset=gbk', 'application/json')).toBe(false);
    expect(mediaTypeIs('text/plain', 'application/json')).toBe(false);
    expect(mediaTypeIs(undefined, 'application/json')).toBe(false);
  });
});

describe('sandbox ISV registry', () => {
  it('honours issued tokens while valid, requires one from marked merchants, and uses a code once', () => {
    const registry = new IsvRegistry(() => new Date());
    const grant = registry.authorizeApp('M');
    expect(registry.appTokenAccepted(grant.appAuthToken, 'STORE')).toBe(true);
    expect(registry.appTokenAccepted('never-issued', 'STORE')).toBe(true);
    registry.markIsvMerchant('STORE');
    expect(registry.appTokenAccepted(undefined, 'STORE')).toBe(false);
    expect(registry.appTokenAccepted('never-issued', 'STORE')).toBe(false);
    expect(registry.exchange('authorization_code', grant.appAuthCode)).toBe(grant);
    expect(registry.exchange('authorization_code', grant.appAuthCode)).toBe('invalid-code');
    registry.revokeApp('M');
    expect(registry.appTokenAccepted(grant.appAuthToken, 'OTHER')).toBe(false);
    const agent = registry.authorizeAgent('A', Date.now() - 1);
    expect(registry.agentTokenAccepted(agent.accessToken, undefined)).toBe(false);
  });
});
