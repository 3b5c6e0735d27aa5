import * as net from 'node:net';
import {
  Field,
  IsoMessage,
  LengthPrefixedFramer,
  createDialect,
  verifyMac,
  type Dialect,
  type DialectName,
} from '@switch/iso8583';

/** The TPDU a terminal sends on nac-bcd links: 0x60, destination NII 0001, source 0000. */
export const DEFAULT_TPDU = Buffer.from('6000010000', 'hex');

export interface PosClientOptions {
  dialect: DialectName;
  /** 16-byte MAC key: requests get field 64, and replies are checked (`PosExchange.macValid`). */
  macKey?: Buffer;
  /** nac-bcd only; defaults to DEFAULT_TPDU. */
  tpdu?: Buffer;
  /** How long `send` waits for the matching reply. */
  timeoutMs?: number;
  maxFrameBytes?: number;
  /** The local address to connect from (a terminal on another host, e.g. 127.0.0.2 on loopback). */
  localAddress?: string;
}

export interface PosExchange {
  reply: IsoMessage;
  /** The reply's TPDU (nac-bcd). */
  tpdu?: Buffer;
  /** Set when a MAC key is configured: whether the reply's field 64 verified. */
  macValid?: boolean;
}

export class PosTimeoutError extends Error {
  readonly code = 'POS.TIMEOUT';
  constructor(readonly key: string, timeoutMs: number) {
    super(`no reply for ${key} within ${timeoutMs} ms`);
    this.name = 'PosTimeoutError';
  }
}

export class PosConnectionClosedError extends Error {
  readonly code = 'POS.CONNECTION_CLOSED';
  constructor(readonly key: string) {
    super(`connection closed before the reply for ${key}`);
    this.name = 'PosConnectionClosedError';
  }
}

export class PosDuplicateRequestError extends Error {
  readonly code = 'POS.DUPLICATE_IN_FLIGHT';
  constructor(readonly key: string) {
    super(`a request with key ${key} is already in flight`);
    this.name = 'PosDuplicateRequestError';
  }
}

interface Pending {
  resolve: (exchange: PosExchange) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A terminal-side connection to the switch. Several requests may be in flight; a reply is matched to its
 * request the jPOS QMUX way: response MTI (0200/0201 -> 0210) + field 11 + field 41.
 */
export class PosClient {
  private readonly pending = new Map<string, Pending>();
  private readonly framer: LengthPrefixedFramer;
  private readonly dialect: Dialect;
  private readonly timeoutMs: number;
  private isClosed = false;
  /** Resolves when the socket closes, from either side. */
  readonly closed: Promise<void>;
  /** Replies that matched no request (late ones after a timeout, for example). */
  readonly unmatched: IsoMessage[] = [];

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: PosClientOptions,
  ) {
    this.dialect = createDialect(options.dialect);
    this.framer = new LengthPrefixedFramer(options.maxFrameBytes ?? 65535);
    this.timeoutMs = options.timeoutMs ?? 65_000;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        for (const [key, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(new PosConnectionClosedError(key));
        }
        this.pending.clear();
        resolve();
      });
    });
  }

  static connect(host: string, port: number, dialectOrOptions: DialectName | PosClientOptions): Promise<PosClient> {
    const options: PosClientOptions = typeof dialectOrOptions === 'string' ? { dialect: dialectOrOptions } : dialectOrOptions;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new PosClient(socket, options));
      });
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends `message` and resolves with its reply. */
  async send(message: IsoMessage): Promise<IsoMessage> {
    return (await this.exchange(message)).reply;
  }

  /** Sends `message` and resolves with its reply and what the frame said about it (TPDU, MAC validity). */
  exchange(message: IsoMessage): Promise<PosExchange> {
    const key = matchKey(responseMtiOf(message.mti), message.get(Field.Stan), message.get(Field.TerminalId));
    if (this.isClosed) return Promise.reject(new PosConnectionClosedError(key));
    if (this.pending.has(key)) return Promise.reject(new PosDuplicateRequestError(key));
    const frame = this.dialect.encodeFrame(message, {
      tpdu: this.options.dialect === 'nac-bcd' ? (this.options.tpdu ?? DEFAULT_TPDU) : undefined,
      macKey: this.options.macKey,
    });
    return new Promise<PosExchange>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new PosTimeoutError(key, this.timeoutMs));
      }, this.timeoutMs);
      this.pending.set(key, { resolve, reject, timer });
      this.socket.write(frame);
    });
  }

  /** Writes raw bytes as they are (tests use it for malformed frames). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async close(): Promise<void> {
    if (!this.isClosed) this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await this.closed;
    clearTimeout(timer);
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch {
      this.socket.destroy();
      return;
    }
    for (const payload of frames) {
      if (payload.length === 0) continue;
      try {
        const decoded = this.dialect.decodeFrame(payload);
        const reply = decoded.message;
        const key = matchKey(reply.mti, reply.get(Field.Stan), reply.get(Field.TerminalId));
        const pending = this.take(key) ?? this.pendingWithoutTerminal(reply);
        if (!pending) {
          this.unmatched.push(reply);
          continue;
        }
        clearTimeout(pending.timer);
        const exchange: PosExchange = { reply, tpdu: decoded.tpdu };
        if (this.options.macKey) {
          const mac = reply.getBinary(Field.Mac);
          exchange.macValid = !!mac && !!decoded.macInput && verifyMac(this.options.macKey, decoded.macInput, mac);
        }
        pending.resolve(exchange);
      } catch {
        // An undecodable reply matches nothing; the request behind it times out.
      }
    }
  }

  private take(key: string): Pending | undefined {
    const pending = this.pending.get(key);
    this.pending.delete(key);
    return pending;
  }

  /** A format-error reply (39 = 30) may lack field 41 when the switch could not read it. */
  private pendingWithoutTerminal(reply: IsoMessage): Pending | undefined {
    if (reply.has(Field.TerminalId)) return undefined;
    const prefix = `${reply.mti}|${reply.get(Field.Stan) ?? ''}|`;
    for (const [key, pending] of this.pending) {
      if (key.startsWith(prefix)) {
        this.pending.delete(key);
        return pending;
      }
    }
    return undefined;
  }
}

/** 0200/0201 -> 0210, 0421 -> 0430, 0800 -> 0810. */
export function responseMtiOf(requestMti: string): string {
  const base = requestMti.endsWith('1') ? `${requestMti.slice(0, 3)}0` : requestMti;
  return `${base.slice(0, 2)}${(Number(base[2]) + 1) % 10}0`;
}

function matchKey(responseMti: string, stan: string | undefined, terminalId: string | undefined): string {
  return `${responseMti}|${stan ?? ''}|${terminalId?.trimEnd() ?? ''}`;
}
