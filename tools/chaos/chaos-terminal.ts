/**
 * A terminal that behaves as ISO 8583 terminals do when the switch dies under them: a purchase with no
 * answer by the merchant timeout is reversed with 0400, repeated as 0401 until a 0410 arrives, reconnecting
 * as often as it takes. With `retransmit`, a purchase left unanswered is first sent once more (0201, the same
 * STAN and fields) and reversed only if that too goes unanswered. With several switch instances it dials the
 * next one whenever its link fails, as a terminal behind a load balancer lands on another instance. It keeps
 * the record the final comparison needs: what it printed.
 */
import { randomInt } from 'node:crypto';
import { Field, type DialectName, type IsoMessage } from '@switch/iso8583';
import { purchase, reversal } from '../pos/messages';
import { PosClient } from '../pos/pos-client';

export interface TerminalTransaction {
  terminalId: string;
  stan: string;
  amountMinor: number;
  /** The sandbox behaviour picked by the payment code's last three digits. */
  behaviour: string;
  /** Field 39 of the 0210, when one arrived in time. */
  responseCode?: string;
  /** The terminal printed an approval: the customer leaves believing they paid. */
  printed: boolean;
  /** The terminal got no answer and reversed: 0400/0401 sent until 0410. */
  reversed: boolean;
  /** The terminal got no answer and sent the purchase again (0201) before deciding. */
  retransmitted?: boolean;
  reversalAttempts: number;
}

export interface ChaosTerminalOptions {
  terminalId: string;
  merchantId: string;
  dialect: DialectName;
  /** The instances' ISO ports for this dialect; the terminal starts at `firstInstance` and moves on when a link fails. */
  ports: readonly number[];
  firstInstance?: number;
  merchantTimeoutMs: number;
  /** Send an unanswered purchase once more (0201) before reversing it. */
  retransmit?: boolean;
  /** Suffixes drawn for each purchase (repeat one to weigh it). */
  behaviours: readonly string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosTerminal {
  readonly transactions: TerminalTransaction[] = [];
  private client?: PosClient;
  private stan = randomInt(1, 900_000);
  private instance: number;

  constructor(private readonly options: ChaosTerminalOptions) {
    this.instance = (options.firstInstance ?? 0) % options.ports.length;
  }

  /** Purchases one after another until `until()` says stop; every reversal it starts is finished. */
  async run(until: () => boolean): Promise<void> {
    while (!until()) {
      await this.purchaseOnce();
      await pause(randomInt(20, 200));
    }
    await this.client?.close();
  }

  private async purchaseOnce(): Promise<void> {
    const { terminalId, merchantId, behaviours } = this.options;
    const behaviour = behaviours[randomInt(0, behaviours.length)];
    const stan = this.nextStan();
    const amountMinor = randomInt(100, 100_000);
    const code = `28${String(randomInt(0, 10 ** 13)).padStart(13, '0')}${behaviour}`;
    const tx: TerminalTransaction = {
      terminalId,
      stan,
      amountMinor,
      behaviour,
      printed: false,
      reversed: false,
      reversalAttempts: 0,
    };
    this.transactions.push(tx);
    const request = purchase({ terminalId, merchantId, stan, amountMinor, paymentCode: code });
    let reply = await this.trySend(request);
    if (!reply && this.options.retransmit) {
      tx.retransmitted = true;
      request.mti = '0201';
      reply = await this.trySend(request);
    }
    if (reply) {
      tx.responseCode = reply.get(Field.ResponseCode);
      tx.printed = tx.responseCode === '00';
      return;
    }
    tx.reversed = true;
    for (let repeat = false; ; repeat = true) {
      tx.reversalAttempts += 1;
      const answer = await this.trySend(
        reversal({ terminalId, merchantId, originalStan: stan, amountMinor, repeat }),
      );
      if (answer?.mti === '0410') return;
      await pause(500);
    }
  }

  /** One request with the terminal's timeout; undefined when it got no answer (timeout, or link lost). */
  private async trySend(message: IsoMessage): Promise<IsoMessage | undefined> {
    try {
      const client = await this.connection();
      return await client.send(message);
    } catch {
      void this.client?.close();
      this.client = undefined;
      this.nextInstance();
      return undefined;
    }
  }

  private async connection(): Promise<PosClient> {
    if (this.client?.isOpen) return this.client;
    for (;;) {
      try {
        this.client = await PosClient.connect('127.0.0.1', this.options.ports[this.instance], {
          dialect: this.options.dialect,
          timeoutMs: this.options.merchantTimeoutMs,
        });
        return this.client;
      } catch {
        this.nextInstance();
        await pause(200); // the switch is down: try again, as a terminal's dial-up retry would
      }
    }
  }

  private nextInstance(): void {
    this.instance = (this.instance + 1) % this.options.ports.length;
  }

  private nextStan(): string {
    this.stan = (this.stan % 999_999) + 1;
    return String(this.stan).padStart(6, '0');
  }
}
