import { amsSignContent, formatAmsSignatureHeader, openapiNotifySignContent, rsaSign } from '../../signing';
import { SandboxContext } from '../context';
import { jsonReply, SandboxReply, SandboxRequest } from '../http/exchange';
import { asObject, parseObject, text } from '../json-read';
import { NotificationMessage, Notifier } from '../notifier';
import { amsTime, beijingDateTime } from '../wire-time';
import { AgentGrant, AppGrant } from './isv-registry';

type IsvAction = 'authorize' | 'revoke';

export interface IsvNotificationAttempt {
  protocol: 'openapi' | 'ams';
  merchant: string;
  action: IsvAction;
  at: string;
  httpStatus?: number;
  reply?: string;
}

/**
 * The merchant's side of ISV onboarding, on demand:
 * POST /sandbox/isv/authorize {protocol: openapi|ams, merchant, notifyUrl, mode?: token|code, expiresInSeconds?,
 *   tradeMerchant?: the reference its pay calls carry (AMS referenceMerchantId, Open Platform store_id),
 *   which from then on must present a valid token}
 * POST /sandbox/isv/revoke {protocol, merchant, notifyUrl}
 * GET  /sandbox/isv (authorizations, never the tokens; and the notifications sent with the replies)
 * Open Platform: open_app_auth_notify (mode code: only the app_auth_code, which the ISV exchanges with
 * alipay.open.auth.token.app) and, on revoke, the alipay.open.auth.appauth.cancelled message. AMS: the
 * agent-token notification; on revoke the same notification with an expiry time now.
 */
export class IsvControl {
  private readonly sent: IsvNotificationAttempt[] = [];

  constructor(
    private readonly ctx: SandboxContext,
    private readonly notifier: Notifier,
  ) {}

  handles(req: SandboxRequest): boolean {
    return req.path === '/sandbox/isv' || req.path.startsWith('/sandbox/isv/');
  }

  handle(req: SandboxRequest): SandboxReply {
    if (req.method === 'GET' && req.path === '/sandbox/isv') {
      return jsonReply(200, { ...this.ctx.isv.view(), notifications: this.sent });
    }
    const action =
      req.path === '/sandbox/isv/authorize'
        ? 'authorize'
        : req.path === '/sandbox/isv/revoke'
          ? 'revoke'
          : undefined;
    if (!action || req.method !== 'POST') return jsonReply(404, { error: 'NOT_FOUND', path: req.path });
    const body = asObject(parseObject(req.body));
    const protocol = body?.protocol === 'openapi' || body?.protocol === 'ams' ? body.protocol : undefined;
    const merchant = text(body?.merchant);
    const notifyUrl = parseUrl(text(body?.notifyUrl));
    if (!protocol || !merchant || !notifyUrl) {
      return jsonReply(400, {
        error: 'BAD_REQUEST',
        detail: 'need protocol (openapi or ams), merchant and notifyUrl',
      });
    }
    const expiresIn = typeof body?.expiresInSeconds === 'number' ? body.expiresInSeconds : undefined;
    const tradeMerchant = text(body?.tradeMerchant);
    if (tradeMerchant) this.ctx.isv.markIsvMerchant(tradeMerchant);
    let message: NotificationMessage;
    if (protocol === 'openapi') {
      if (action === 'authorize') {
        const grant = this.ctx.isv.authorizeApp(merchant, expiresIn);
        message = this.appAuthNotify(grant, body?.mode === 'code');
      } else {
        const grant = this.ctx.isv.revokeApp(merchant);
        if (!grant) return jsonReply(404, { error: 'NOT_AUTHORIZED', merchant });
        message = this.appAuthCancelled(grant);
      }
    } else if (action === 'authorize') {
      const expiresAt = expiresIn !== undefined ? this.ctx.now().getTime() + expiresIn * 1000 : undefined;
      message = this.agentTokenNotify(notifyUrl, this.ctx.isv.authorizeAgent(merchant, expiresAt));
    } else {
      const grant = this.ctx.isv.revokeAgent(merchant);
      if (!grant) return jsonReply(404, { error: 'NOT_AUTHORIZED', merchant });
      message = this.agentTokenNotify(notifyUrl, {
        ...grant,
        authTime: this.ctx.now().getTime(),
        expiresAt: this.ctx.now().getTime(),
      });
    }
    void this.deliver(notifyUrl, message, { protocol, merchant, action });
    this.ctx.log({ event: 'isv', protocol, action, merchant });
    return jsonReply(202, { protocol, merchant, action });
  }

  private async deliver(
    url: URL,
    message: NotificationMessage,
    what: Omit<IsvNotificationAttempt, 'at'>,
  ): Promise<void> {
    const at = this.ctx.now().toISOString();
    try {
      const answer = await this.notifier.send(url, message);
      this.sent.push({ ...what, at, httpStatus: answer.status, reply: answer.body.slice(0, 256) });
    } catch {
      this.sent.push({ ...what, at });
    }
  }

  private appAuthNotify(g: AppGrant, codeOnly: boolean): NotificationMessage {
    const appId = this.ctx.credentials.openapi.appId;
    const detail = codeOnly
      ? {
          app_id: appId,
          auth_app_id: g.authAppId,
          auth_time: g.authTime,
          app_auth_code: g.appAuthCode,
          user_id: g.userId,
        }
      : {
          app_id: appId,
          auth_app_id: g.authAppId,
          auth_time: g.authTime,
          app_auth_code: g.appAuthCode,
          app_auth_token: g.appAuthToken,
          expires_in: g.expiresIn,
          app_refresh_token: g.appRefreshToken,
          re_expires_in: g.reExpiresIn,
          user_id: g.userId,
        };
    return this.openapiForm({
      notify_type: 'open_app_auth_notify',
      notify_time: beijingDateTime(this.ctx.now()),
      status: 'execute_auth',
      version: '1.0',
      auth_app_id: g.authAppId,
      biz_content: JSON.stringify({ notify_context: { trigger: 'sandbox' }, detail }),
    });
  }

  private appAuthCancelled(g: AppGrant): NotificationMessage {
    return this.openapiForm({
      utc_timestamp: String(this.ctx.now().getTime()),
      msg_method: 'alipay.open.auth.appauth.cancelled',
      msg_type: 'sys',
      version: '1.1',
      biz_content: JSON.stringify({
        auth_app_id: g.authAppId,
        app_id: this.ctx.credentials.openapi.appId,
        auth_time: this.ctx.now().getTime(),
      }),
    });
  }

  private openapiForm(fields: Record<string, string>): NotificationMessage {
    const params: Record<string, string> = {
      notify_id: this.ctx.ids.notifyId(),
      app_id: this.ctx.credentials.openapi.appId,
      charset: 'utf-8',
      sign_type: 'RSA2',
      ...fields,
    };
    params.sign = rsaSign(openapiNotifySignContent(params), this.ctx.keys.openapi.alipayPrivate, 'RSA2');
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    };
  }

  private agentTokenNotify(url: URL, g: AgentGrant): NotificationMessage {
    const clientId = this.ctx.credentials.ams.clientId;
    const body = JSON.stringify({
      clientId,
      authClientId: g.authClientId,
      authTime: String(g.authTime),
      accessToken: g.accessToken,
      accessTokenExpiryTime: g.expiresAt !== undefined ? amsTime(new Date(g.expiresAt)) : '',
      customerId: '2181110000270069',
    });
    const requestTime = amsTime(this.ctx.now());
    const signature = rsaSign(
      amsSignContent('POST', url.pathname, clientId, requestTime, body),
      this.ctx.keys.ams.alipayPrivate,
    );
    return {
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'client-id': clientId,
        'request-time': requestTime,
        signature: formatAmsSignatureHeader(signature, this.ctx.credentials.ams.keyVersion),
      },
      body,
    };
  }
}

function parseUrl(value: string | undefined): URL | undefined {
  try {
    return value ? new URL(value) : undefined;
  } catch {
    return undefined;
  }
}
