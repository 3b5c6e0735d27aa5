import { declineCode } from './codes';
import { SandboxContext } from './context';
import { NO_FAULTS, parseFaults, SandboxFaults } from './faults';
import { jsonReply, SandboxReply, SandboxRequest } from './http/exchange';
import {
  callView,
  LedgerFilter,
  paymentView,
  SandboxPayment,
  SandboxPaymentStatus,
  SandboxPaymentView,
} from './ledger';
import { Notifier } from './notifier';
import { SANDBOX_PROTOCOLS, SandboxProtocol } from './protocol';

export interface SandboxControlRoutes {
  handles(req: SandboxRequest): boolean;
  handle(req: SandboxRequest): SandboxReply;
}

const STATUSES: readonly SandboxPaymentStatus[] = [
  'PROCESSING',
  'SUCCESS',
  'FAILED',
  'CANCELLED',
  'REFUNDED',
];

/**
 * The JSON control API under /sandbox: inspect the ledger, switch faults on and off, reset. It is never
 * subject to the faults it controls.
 */
export class SandboxControl {
  faults: SandboxFaults = { ...NO_FAULTS };

  constructor(
    private readonly ctx: SandboxContext,
    private readonly notifier: Notifier,
    /** More control routes (notifications on demand, ISV authorizations), each owning its paths. */
    private readonly routes: readonly SandboxControlRoutes[] = [],
  ) {}

  handle(req: SandboxRequest): SandboxReply {
    const extra = this.routes.find((r) => r.handles(req));
    if (extra) return extra.handle(req);
    const route = `${req.method} ${req.path}`;
    if (route === 'GET /sandbox/health')
      return jsonReply(200, { status: 'ok', payments: this.ctx.ledger.size });
    if (route === 'GET /sandbox/payments') return this.list(req.query);
    if (req.method === 'GET' && req.path.startsWith('/sandbox/payments/')) {
      const id = decodeId(req.path.slice('/sandbox/payments/'.length));
      if (id === undefined) return jsonReply(400, { error: 'BAD_ID' });
      return this.payment(id, req.query);
    }
    if (route === 'GET /sandbox/faults') return jsonReply(200, this.faults);
    if (route === 'POST /sandbox/faults') return this.setFaults(req.body);
    if (route === 'DELETE /sandbox/faults') {
      this.faults = { ...NO_FAULTS };
      this.ctx.log({ event: 'faults', faults: this.faults });
      return jsonReply(200, this.faults);
    }
    if (req.path.startsWith('/sandbox/statements/')) return this.ctx.statements.control(req);
    if (route === 'POST /sandbox/reset') {
      const cleared = this.ctx.ledger.size;
      this.ctx.ledger.clear();
      this.ctx.statements.reset();
      this.notifier.reset();
      return jsonReply(200, { reset: true, cleared });
    }
    return jsonReply(404, { error: 'NOT_FOUND', path: req.path });
  }

  view(payment: SandboxPayment): SandboxPaymentView {
    const failureCode =
      payment.status === 'FAILED' && payment.declineReason
        ? declineCode(payment.protocol, payment.declineReason).code
        : undefined;
    return paymentView(payment, this.ctx.ledger.callsOf(payment.protocol, payment.id), failureCode);
  }

  private payment(id: string, query: URLSearchParams): SandboxReply {
    const protocol = protocolOf(query.get('protocol'));
    const payment = this.ctx.ledger.lookup(id, protocol);
    if (payment) return jsonReply(200, this.view(payment));
    // Calls on an id that never became a payment (e.g. a cancel of a pay that never arrived) still show.
    const calls = this.ctx.ledger
      .orphanCalls(id)
      .filter((c) => protocol === undefined || c.protocol === protocol)
      .flatMap((c) => c.calls.map((call) => ({ protocol: c.protocol, ...callView(call) })));
    return jsonReply(404, { error: 'PAYMENT_NOT_FOUND', id, calls });
  }

  private list(query: URLSearchParams): SandboxReply {
    const filter: LedgerFilter = {};
    const paymentCode = query.get('paymentCode');
    if (paymentCode) filter.paymentCode = paymentCode;
    const protocol = protocolOf(query.get('protocol'));
    if (protocol) filter.protocol = protocol;
    const status = query.get('status');
    if (status && STATUSES.includes(status as SandboxPaymentStatus))
      filter.status = status as SandboxPaymentStatus;
    return jsonReply(
      200,
      this.ctx.ledger.list(filter).map((p) => this.view(p)),
    );
  }

  private setFaults(body: string): SandboxReply {
    const parsed = parseFaults(body);
    if ('error' in parsed) return jsonReply(400, { error: 'BAD_FAULTS', detail: parsed.error });
    this.faults = parsed;
    this.ctx.log({ event: 'faults', faults: parsed });
    return jsonReply(200, parsed);
  }
}

function decodeId(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function protocolOf(value: string | null): SandboxProtocol | undefined {
  return SANDBOX_PROTOCOLS.find((p) => p === value);
}
