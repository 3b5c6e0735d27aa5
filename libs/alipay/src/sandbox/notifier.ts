import * as http from 'node:http';
import * as https from 'node:https';
import { SandboxIds } from './ids';
import { SandboxPayment } from './ledger';
import { SandboxProtocol } from './protocol';
import { SandboxLogger } from './options';

export interface NotificationMessage {
  headers: Record<string, string>;
  body: string;
}

/** How one protocol tells a merchant about a final payment, and what counts as "received". */
export interface NotificationFormat {
  /** Whether this payment's current state is one the protocol notifies (AMS: success and failure). */
  notifies(payment: SandboxPayment): boolean;
  /** Built afresh for every attempt (new request time and signature), with one notify id per series. */
  build(payment: SandboxPayment, url: URL, notifyId: string): NotificationMessage;
  acknowledged(httpStatus: number, body: string): boolean;
}

// A receiver that neither answers nor fails must not stall a series forever.
const ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_ACK_BYTES = 64 * 1024;

/**
 * Posts a signed notification when a payment becomes final and repeats it on the retry schedule until the
 * receiver acknowledges. `delaysMs[i]` is the wait before attempt i+1; the series ends after the last.
 */
export class Notifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly agent = new http.Agent({ keepAlive: false });
  private readonly secureAgent = new https.Agent({ keepAlive: false });
  // Bumped by reset(): a series started before a reset stops at its next step.
  private generation = 0;
  private closed = false;

  constructor(
    private readonly formats: Readonly<Record<SandboxProtocol, NotificationFormat>>,
    private readonly delaysMs: readonly number[],
    private readonly ids: SandboxIds,
    private readonly now: () => Date,
    private readonly log: SandboxLogger,
  ) {}

  onFinal(payment: SandboxPayment): void {
    if (this.closed || !payment.notifyUrl || this.delaysMs.length === 0) return;
    const format = this.formats[payment.protocol];
    if (!format.notifies(payment)) return;
    let url: URL;
    try {
      url = new URL(payment.notifyUrl);
    } catch {
      this.log({ event: 'notification.bad-url', protocol: payment.protocol, id: payment.id });
      return;
    }
    this.schedule(payment, format, url, this.ids.notifyId(), 0, this.generation);
  }

  /** Stops every series (the ledger they belong to was cleared). */
  reset(): void {
    this.generation += 1;
    this.stopAll();
  }

  close(): void {
    this.closed = true;
    this.reset();
    this.agent.destroy();
    this.secureAgent.destroy();
  }

  private schedule(
    payment: SandboxPayment,
    format: NotificationFormat,
    url: URL,
    notifyId: string,
    attempt: number,
    generation: number,
  ): void {
    if (attempt >= this.delaysMs.length) {
      this.log({
        event: 'notification.gave-up',
        protocol: payment.protocol,
        id: payment.id,
        attempts: attempt,
      });
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(payment, format, url, notifyId, attempt, generation);
    }, this.delaysMs[attempt]);
    this.timers.add(timer);
  }

  private async attempt(
    payment: SandboxPayment,
    format: NotificationFormat,
    url: URL,
    notifyId: string,
    attempt: number,
    generation: number,
  ): Promise<void> {
    if (generation !== this.generation) return;
    let message: NotificationMessage;
    try {
      message = format.build(payment, url, notifyId);
    } catch (err) {
      // A bug here must end this series, not the process (this runs detached from any request).
      this.log({
        event: 'notification.error',
        id: payment.id,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    const at = this.now();
    let outcome: 'acknowledged' | 'rejected' | 'failed';
    let httpStatus: number | undefined;
    let reply: string | undefined;
    try {
      const answer = await this.send(url, message);
      httpStatus = answer.status;
      reply = answer.body.slice(0, 256);
      outcome = format.acknowledged(answer.status, answer.body) ? 'acknowledged' : 'rejected';
    } catch {
      outcome = 'failed';
    }
    if (generation !== this.generation) return;
    payment.notifications.push({
      attempt: attempt + 1,
      at,
      outcome,
      ...(httpStatus ? { httpStatus } : {}),
      ...(reply !== undefined ? { reply } : {}),
    });
    this.log({
      event: 'notification',
      protocol: payment.protocol,
      id: payment.id,
      attempt: attempt + 1,
      outcome,
    });
    if (outcome !== 'acknowledged') this.schedule(payment, format, url, notifyId, attempt + 1, generation);
  }

  /** One POST, outside any series (the control API's on-demand notifications use it too). */
  send(url: URL, message: NotificationMessage): Promise<{ status: number; body: string }> {
    const body = Buffer.from(message.body, 'utf8');
    const secure = url.protocol === 'https:';
    const send = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method: 'POST',
        agent: secure ? this.secureAgent : this.agent,
        headers: { ...message.headers, 'content-length': String(body.length) },
        timeout: ATTEMPT_TIMEOUT_MS,
      });
      this.inFlight.add(req);
      req.on('timeout', () => req.destroy(new Error('notification timed out')));
      req.on('error', (err) => {
        this.inFlight.delete(req);
        reject(err);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ACK_BYTES) chunks.push(chunk);
        });
        res.on('error', (err) => {
          this.inFlight.delete(req);
          reject(err);
        });
        res.on('end', () => {
          this.inFlight.delete(req);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(body);
    });
  }

  private stopAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }
}
