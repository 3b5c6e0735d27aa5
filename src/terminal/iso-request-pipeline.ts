import {
  Field,
  IsoMessage,
  Iso8583Error,
  describeMessage,
  swapTpdu,
  verifyMac,
  type DecodedFrame,
} from '@switch/iso8583';
import { IsoContext } from './iso-context';
import type { ReplyChannel } from './iso-connection';
import { errorSummary } from './iso-connection';
import { identifierFieldProblem } from './identifier-fields';
import { debugEnabled, type IsoLogger } from './iso-logger';
import { isRepeatMti, patternForMti } from './iso-patterns';
import { ResponseCode, replyMti, replyTo } from './iso-reply';
import type { IsoReplyObserver } from './iso-reply-observer';
import type { IsoRequest } from './iso-request';
import type { TerminalDirectory, TerminalRecord } from './terminal-directory.port';
import { HandlerReplyMissingError } from './terminal.errors';

/** Runs the handler registered for a pattern; resolves with whatever the handler produced (last emitted value). */
export type IsoHandler = (request: IsoRequest, context: IsoContext) => Promise<unknown>;

export interface IsoRequestPipelineDeps {
  directory: TerminalDirectory;
  resolveHandler: (pattern: string) => IsoHandler | undefined;
  logger: IsoLogger;
  /** Told when a request passed the terminal checks and goes to its handler (the connection proved itself). */
  onAccepted?: (channel: ReplyChannel) => void;
  /** Epoch ms; injectable so deadline behaviour can be tested without waiting. */
  now?: () => number;
  /** Told of every reply written and every reply dropped at the deadline (metrics). */
  observer?: IsoReplyObserver;
}

type HandlerOutcome =
  | { kind: 'replied'; reply: IsoMessage }
  | { kind: 'failed'; error: unknown }
  | { kind: 'deadline' }
  | { kind: 'connection-closed' };

/** Where a reply goes and how it is framed: the request's TPDU swapped, signed when the terminal has a MAC key. */
interface ReplyRoute {
  channel: ReplyChannel;
  tpdu?: Buffer;
  macKey?: Buffer;
}

/**
 * One request from frame to reply: decode, terminal check, MAC check, dispatch by MTI, deadline, encode, write.
 * Every failure becomes a reply code or a logged drop; `process` never rejects, so no frame can disturb other
 * requests or connections.
 */
export class IsoRequestPipeline {
  private readonly now: () => number;
  private readonly debug: boolean;

  constructor(private readonly deps: IsoRequestPipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.debug = debugEnabled(deps.logger);
  }

  /** `arrivedAtMs`: when the frame was read (its deadline counts from then); now when not given. */
  async process(payload: Buffer, channel: ReplyChannel, arrivedAtMs?: number): Promise<void> {
    try {
      await this.processUnsafe(payload, channel, arrivedAtMs ?? this.now());
    } catch (err) {
      this.deps.logger.error({ connectionId: channel.id, err: errorSummary(err) }, 'request pipeline failed');
    }
  }

  private async processUnsafe(payload: Buffer, channel: ReplyChannel, receivedAtMs: number): Promise<void> {
    let decoded: DecodedFrame;
    try {
      decoded = channel.dialect.decodeFrame(payload);
    } catch (err) {
      await this.rejectUndecodable(err, payload, channel);
      return;
    }
    const { message } = decoded;
    const route: ReplyRoute = { channel, tpdu: decoded.tpdu && swapTpdu(decoded.tpdu) };
    if (!isRequestClass(message.mti)) {
      // The switch never sends requests to terminals, so a response-class message answers nothing we asked.
      this.deps.logger.warn({ connectionId: channel.id, mti: message.mti }, 'unsolicited response ignored');
      return;
    }
    const identifierProblem = identifierFieldProblem(message);
    if (identifierProblem !== undefined) {
      await this.sendRejection(route, message, ResponseCode.FormatError, identifierProblem);
      return;
    }
    const terminalId = message.get(Field.TerminalId)?.trimEnd();
    if (!terminalId) {
      await this.sendRejection(route, message, ResponseCode.FormatError, 'field 41 missing');
      return;
    }

    let terminal: TerminalRecord | undefined;
    try {
      terminal = await this.deps.directory.find(terminalId);
    } catch (err) {
      this.deps.logger.error({ connectionId: channel.id, terminalId, err: errorSummary(err) }, 'terminal directory failed');
      await this.sendRejection(route, message, ResponseCode.SystemError, 'terminal directory failed');
      return;
    }
    route.macKey = terminal?.macKey;
    const refusal = terminalRefusal(terminal, channel.dialect.name);
    if (refusal !== undefined || terminal === undefined) {
      await this.sendRejection(route, message, ResponseCode.NotPermittedToTerminal, refusal ?? 'unknown terminal');
      return;
    }
    if (terminal.allowedNetworks && !terminal.allowedNetworks.allows(channel.remoteAddress)) {
      await this.sendRejection(route, message, ResponseCode.NotPermittedToTerminal, 'source address not allowed');
      return;
    }
    if (terminal.macKey && !macIsValid(terminal.macKey, decoded)) {
      // Unsigned: a MAC under the terminal's key over a reply to text anyone chose would be a MAC oracle.
      await this.sendRejection({ ...route, macKey: undefined }, message, ResponseCode.MacFailure, 'MAC missing or wrong');
      return;
    }

    channel.noteTerminal?.(terminal, receivedAtMs);
    const pattern = patternForMti(message.mti);
    const handler = this.deps.resolveHandler(pattern);
    if (!handler) {
      await this.sendRejection(route, message, ResponseCode.InvalidTransaction, 'no handler for MTI');
      return;
    }
    this.deps.onAccepted?.(channel);
    await this.dispatch(handler, pattern, message, terminal, route, receivedAtMs);
  }

  private async dispatch(
    handler: IsoHandler,
    pattern: string,
    message: IsoMessage,
    terminal: TerminalRecord,
    route: ReplyRoute,
    receivedAtMs: number,
  ): Promise<void> {
    const { channel } = route;
    let settleDelivery!: (delivered: boolean) => void;
    const delivery = new Promise<boolean>((resolve) => (settleDelivery = resolve));
    const deadlineAt = receivedAtMs + terminal.merchantTimeoutMs;
    const request: IsoRequest = {
      message,
      terminal,
      dialect: channel.dialect.name,
      receivedAt: new Date(receivedAtMs),
      deadlineAt,
      repeat: isRepeatMti(message.mti),
      connectionId: channel.id,
      delivery,
    };
    const logContext = { connectionId: channel.id, terminalId: terminal.terminalId, mti: message.mti, stan: message.get(Field.Stan) };
    if (this.debug) this.deps.logger.debug?.({ ...logContext, dump: describeMessage(message) }, 'request received');

    const context = new IsoContext([pattern, channel.id, channel.dialect.name]);
    const outcome = await this.runUntilDeadline(handler, request, context, channel);
    let reply: IsoMessage;
    switch (outcome.kind) {
      case 'connection-closed':
        this.deps.logger.warn(logContext, 'connection closed before the reply; dropped');
        settleDelivery(false);
        return;
      case 'deadline':
        this.deps.logger.warn({ ...logContext, deadlineAt }, 'handler passed the deadline; reply dropped');
        this.deps.observer?.deadlinePassed(message);
        settleDelivery(false);
        return;
      case 'failed':
        this.deps.logger.error({ ...logContext, err: errorSummary(outcome.error) }, 'handler failed; answering 96');
        reply = replyTo(message, ResponseCode.SystemError);
        break;
      case 'replied':
        reply = outcome.reply;
        break;
    }
    if (this.now() > deadlineAt) {
      this.deps.logger.warn({ ...logContext, deadlineAt }, 'reply ready after the deadline; dropped');
      this.deps.observer?.deadlinePassed(message);
      settleDelivery(false);
      return;
    }
    const frame = this.encodeReply(reply, route, message);
    if (!frame) {
      settleDelivery(false);
      return;
    }
    const written = await channel.write(frame);
    if (written) this.deps.observer?.replied(message, reply.get(Field.ResponseCode) ?? '');
    if (!written) this.deps.logger.warn(logContext, 'reply not written: connection gone');
    else if (this.debug) this.deps.logger.debug?.({ ...logContext, dump: describeMessage(reply) }, 'reply sent');
    // A write that completes after the deadline reached a terminal that has given up (and will reverse):
    // it does not count as delivered, so an approval written then is cancelled, not kept.
    const inTime = this.now() <= deadlineAt;
    if (written && !inTime) this.deps.logger.warn({ ...logContext, deadlineAt }, 'reply written after the deadline; undelivered');
    settleDelivery(written && inTime);
  }

  /**
   * The handler's outcome, or 'deadline' / 'connection-closed' if it is still running when its reply could no
   * longer be delivered; then the request stops counting as in flight (the handler itself runs on).
   */
  private runUntilDeadline(handler: IsoHandler, request: IsoRequest, context: IsoContext, channel: ReplyChannel): Promise<HandlerOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const subscription = { cancel: (): void => undefined };
      const finish = (outcome: HandlerOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        subscription.cancel();
        resolve(outcome);
      };
      const timer = setTimeout(() => finish({ kind: 'deadline' }), Math.max(0, request.deadlineAt - this.now()));
      subscription.cancel = channel.onClose(() => finish({ kind: 'connection-closed' }));
      // Closed before the handler started: nothing could be delivered, so do not start it.
      if (settled) return;
      let running: Promise<unknown>;
      try {
        running = handler(request, context);
      } catch (error) {
        finish({ kind: 'failed', error });
        return;
      }
      running.then(
        (result) => {
          if (result instanceof IsoMessage) finish({ kind: 'replied', reply: result });
          else finish({ kind: 'failed', error: new HandlerReplyMissingError(context.getPattern()) });
        },
        (error: unknown) => finish({ kind: 'failed', error }),
      );
    });
  }

  /** The reply frame; if the handler's reply cannot be encoded, a 96 built from the request instead. */
  private encodeReply(reply: IsoMessage, route: ReplyRoute, request: IsoMessage): Buffer | undefined {
    const options = { tpdu: route.tpdu, macKey: route.macKey };
    try {
      return route.channel.dialect.encodeFrame(reply, options);
    } catch (err) {
      this.deps.logger.error({ connectionId: route.channel.id, mti: reply.mti, err: errorSummary(err) }, 'reply cannot be encoded; answering 96');
    }
    try {
      return route.channel.dialect.encodeFrame(replyTo(request, ResponseCode.SystemError), options);
    } catch (err) {
      this.deps.logger.error({ connectionId: route.channel.id, err: errorSummary(err) }, 'fallback reply cannot be encoded; dropped');
      return undefined;
    }
  }

  private async sendRejection(route: ReplyRoute, request: IsoMessage, responseCode: string, reason: string): Promise<void> {
    this.deps.logger.warn(
      { connectionId: route.channel.id, mti: request.mti, stan: request.get(Field.Stan), terminalId: request.get(Field.TerminalId), responseCode, reason },
      'request rejected',
    );
    const frame = this.encodeReply(replyTo(request, responseCode), route, request);
    if (frame && (await route.channel.write(frame))) this.deps.observer?.replied(request, responseCode);
  }

  /**
   * A frame that does not decode: when the MTI and STAN were readable the terminal gets a 30 it can match;
   * otherwise the link is out of step (or hostile) and is closed.
   */
  private async rejectUndecodable(err: unknown, payload: Buffer, channel: ReplyChannel): Promise<void> {
    const isoError = err instanceof Iso8583Error ? err : undefined;
    const logContext = { connectionId: channel.id, code: isoError?.code, field: isoError?.field, mti: isoError?.mti, stan: isoError?.stan };
    if (!isoError?.mti || !isoError.stan || !isRequestClass(isoError.mti)) {
      this.deps.logger.warn({ ...logContext, err: errorSummary(err) }, 'undecodable frame; closing connection');
      channel.close('undecodable frame');
      return;
    }
    this.deps.logger.warn(logContext, 'undecodable frame; answering 30');
    const reply = new IsoMessage(replyMti(isoError.mti)).set(Field.Stan, isoError.stan).set(Field.ResponseCode, ResponseCode.FormatError);
    if (isoError.terminalId) reply.set(Field.TerminalId, isoError.terminalId);
    let frame: Buffer;
    try {
      // The TPDU is the first 5 bytes of an nac-bcd frame whatever went wrong after it.
      const tpdu = channel.dialect.name === 'nac-bcd' ? swapTpdu(payload.subarray(0, 5)) : undefined;
      frame = channel.dialect.encodeFrame(reply, { tpdu });
    } catch (encodeError) {
      this.deps.logger.warn({ ...logContext, err: errorSummary(encodeError) }, 'format-error reply cannot be encoded; closing connection');
      channel.close('undecodable frame');
      return;
    }
    await channel.write(frame);
  }
}

/** Why a decoded terminal may not transact here, or undefined when it may. */
function terminalRefusal(terminal: TerminalRecord | undefined, dialect: string): string | undefined {
  if (!terminal) return 'unknown terminal';
  if (terminal.status !== 'active') return 'terminal blocked';
  if (terminal.dialect !== dialect) return `terminal configured for ${terminal.dialect}, arrived on ${dialect}`;
  return undefined;
}

function macIsValid(macKey: Buffer, decoded: DecodedFrame): boolean {
  const mac = decoded.message.getBinary(Field.Mac);
  if (!mac || !decoded.macInput) return false;
  try {
    return verifyMac(macKey, decoded.macInput, mac);
  } catch {
    return false;
  }
}

/** MTI position 3 is the message function: even digits are requests and advices, odd ones responses. */
function isRequestClass(mti: string): boolean {
  return /^\d{4}$/.test(mti) && Number(mti[2]) % 2 === 0;
}
