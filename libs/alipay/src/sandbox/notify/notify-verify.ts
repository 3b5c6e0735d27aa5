import { SandboxContext } from '../context';
import { SandboxReply } from '../http/exchange';

/** MAPI service=notify_verify: a plain-text `true`, `false` or `invalid`, unsigned (as Alipay answers it). */
export function notifyVerifyReply(ctx: SandboxContext, params: Record<string, string>): SandboxReply {
  const answer = ctx.issuedNotifyIds.verify(params.partner, params.notify_id, ctx.credentials.mapi.partner);
  ctx.log({ event: 'api', protocol: 'mapi', service: 'notify_verify', answer });
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: answer };
}
