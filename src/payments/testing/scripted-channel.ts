/**
 * A WalletChannel whose answers a unit test scripts call by call. Each method takes a queue of steps: an
 * outcome, a function of the request, or a `hold()` the test releases later (a slow Alipay). When a queue
 * runs dry the method's fallback answers. Every call is recorded.
 */
import type {
  CancelRequest,
  ChannelName,
  ChannelOutcome,
  FailureReason,
  InquireRequest,
  PayRequest,
  RefundRequest,
  WalletChannel,
} from '@switch/alipay';

type Method = 'pay' | 'inquire' | 'cancel' | 'refund';
type RequestOf = { pay: PayRequest; inquire: InquireRequest; cancel: CancelRequest; refund: RefundRequest };
type Step<R> = ChannelOutcome | ((request: R) => ChannelOutcome | Promise<ChannelOutcome>);

export interface Held {
  /** Settles the held call with `outcome`. */
  release(outcome: ChannelOutcome): void;
  /** Resolves once the held call has been made. */
  readonly called: Promise<void>;
}

export class ScriptedChannel implements WalletChannel {
  readonly calls: { method: Method; request: RequestOf[Method] }[] = [];
  private readonly queues: { [M in Method]: Step<RequestOf[M]>[] } = {
    pay: [],
    inquire: [],
    cancel: [],
    refund: [],
  };
  private readonly fallbacks: { [M in Method]: Step<RequestOf[M]> };

  constructor(readonly name: ChannelName = 'ams') {
    this.fallbacks = {
      pay: outcomes.unknown('timeout'),
      inquire: outcomes.processing(),
      cancel: outcomes.success(),
      refund: outcomes.unknown('timeout'),
    };
  }

  script<M extends Method>(method: M, ...steps: Step<RequestOf[M]>[]): this {
    (this.queues[method] as Step<RequestOf[M]>[]).push(...steps);
    return this;
  }

  otherwise<M extends Method>(method: M, step: Step<RequestOf[M]>): this {
    (this.fallbacks as Record<Method, unknown>)[method] = step;
    return this;
  }

  /** Queues a call that waits until the test releases it. */
  hold<M extends Method>(method: M): Held {
    let release!: (outcome: ChannelOutcome) => void;
    let markCalled!: () => void;
    const called = new Promise<void>((resolve) => (markCalled = resolve));
    const settled = new Promise<ChannelOutcome>((resolve) => (release = resolve));
    this.script(method, () => {
      markCalled();
      return settled;
    });
    return { release, called };
  }

  callsOf<M extends Method>(method: M): RequestOf[M][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request as RequestOf[M]);
  }

  pay(request: PayRequest): Promise<ChannelOutcome> {
    return this.run('pay', request);
  }
  inquire(request: InquireRequest): Promise<ChannelOutcome> {
    return this.run('inquire', request);
  }
  cancel(request: CancelRequest): Promise<ChannelOutcome> {
    return this.run('cancel', request);
  }
  refund(request: RefundRequest): Promise<ChannelOutcome> {
    return this.run('refund', request);
  }
  verifyNotification(): boolean {
    return false;
  }
  parseNotification(): undefined {
    return undefined;
  }

  private async run<M extends Method>(method: M, request: RequestOf[M]): Promise<ChannelOutcome> {
    this.calls.push({ method, request });
    const queue = this.queues[method] as Step<RequestOf[M]>[];
    const step = queue.shift() ?? this.fallbacks[method];
    return typeof step === 'function' ? step(request) : step;
  }
}

const raw = (api = 'test') => ({ api, requestId: 'test', latencyMs: 1 });

/** Outcome builders for scripts. */
export const outcomes = {
  success: (alipayTransactionId = '2024010122001400000000000001'): ChannelOutcome => ({
    kind: 'success',
    alipayTransactionId,
    raw: raw(),
  }),
  failure: (reason: FailureReason, code = 'TEST_FAILURE'): ChannelOutcome => ({
    kind: 'failure',
    code,
    message: reason,
    reason,
    raw: raw(),
  }),
  processing: (): ChannelOutcome => ({ kind: 'processing', raw: raw() }),
  unknown: (cause: 'timeout' | 'network' | 'status-unknown' = 'timeout'): ChannelOutcome => ({
    kind: 'unknown',
    cause,
    detail: `scripted ${cause}`,
  }),
};
