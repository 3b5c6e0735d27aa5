import 'reflect-metadata';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { of, type Observable } from 'rxjs';
import { Field, type IsoMessage } from '@switch/iso8583';
import { InMemoryTerminalDirectory } from '../../../../src/terminal/in-memory-terminal-directory';
import type { IsoListenerOptions } from '../../../../src/terminal/iso-listener.options';
import type { IsoLogger } from '../../../../src/terminal/iso-logger';
import { IsoPattern } from '../../../../src/terminal/iso-patterns';
import { ResponseCode, replyTo } from '../../../../src/terminal/iso-reply';
import type { IsoRequest } from '../../../../src/terminal/iso-request';
import { IsoServerStrategy } from '../../../../src/terminal/iso-server.strategy';
import type { TerminalRecord } from '../../../../src/terminal/terminal-directory.port';
import { TerminalModule } from '../../../../src/terminal/terminal.module';

/** Processing codes the test financial handler understands (test-only behaviour switches). */
export const TestProcessing = {
  /** Approve at once. */
  Approve: '000000',
  /** Wait until the test opens the gate for this STAN, then approve. */
  Gated: '970000',
  /** Resolve with something that is not an IsoMessage. */
  NotAMessage: '980000',
  /** Throw. */
  Throw: '990000',
} as const;

export const MAC_KEY = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

export const TEST_TERMINALS: TerminalRecord[] = [
  { terminalId: 'TERM0001', merchantId: 'MERCHANT0000001', dialect: 'ascii', status: 'active', merchantTimeoutMs: 30_000 },
  { terminalId: 'TERM0002', merchantId: 'MERCHANT0000001', dialect: 'nac-bcd', status: 'active', merchantTimeoutMs: 30_000 },
  { terminalId: 'BLOCKED1', merchantId: 'MERCHANT0000001', dialect: 'ascii', status: 'suspended', merchantTimeoutMs: 30_000 },
  { terminalId: 'MACT0001', merchantId: 'MERCHANT0000002', dialect: 'ascii', status: 'active', merchantTimeoutMs: 30_000, macKey: MAC_KEY },
  { terminalId: 'MACT0002', merchantId: 'MERCHANT0000002', dialect: 'nac-bcd', status: 'active', merchantTimeoutMs: 30_000, macKey: MAC_KEY },
  // A merchant timeout short enough to pass while a gated handler waits.
  { terminalId: 'SHORT001', merchantId: 'MERCHANT0000001', dialect: 'ascii', status: 'active', merchantTimeoutMs: 80 },
];

/** Lets a test hold handlers and release them in the order it chooses; records every request handled. */
export class HandlerGates {
  readonly requests: IsoRequest[] = [];
  private readonly gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  private readonly arrivalWaiters: Array<() => void> = [];

  record(request: IsoRequest): void {
    this.requests.push(request);
    for (const wake of this.arrivalWaiters.splice(0)) wake();
  }

  wait(stan: string): Promise<void> {
    return this.gate(stan).promise;
  }

  open(stan: string): void {
    this.gate(stan).open();
  }

  /** Resolves once `count` requests have reached handlers. */
  async arrived(count: number): Promise<void> {
    while (this.requests.length < count) await new Promise<void>((resolve) => this.arrivalWaiters.push(resolve));
  }

  find(stan: string): IsoRequest | undefined {
    return this.requests.find((r) => r.message.get(Field.Stan) === stan);
  }

  private gate(stan: string): { promise: Promise<void>; open: () => void } {
    let gate = this.gates.get(stan);
    if (!gate) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
      this.gates.set(stan, gate);
    }
    return gate;
  }
}

export const HANDLER_GATES = Symbol('HANDLER_GATES');

@Controller()
class TestFinancialController {
  constructor(@Inject(HANDLER_GATES) private readonly gates: HandlerGates) {}

  @MessagePattern(IsoPattern.Financial)
  async financial(@Payload() request: IsoRequest): Promise<IsoMessage | string> {
    this.gates.record(request);
    switch (request.message.get(Field.ProcessingCode)) {
      case TestProcessing.Gated:
        await this.gates.wait(request.message.get(Field.Stan) ?? '');
        return replyTo(request.message, ResponseCode.Approved);
      case TestProcessing.NotAMessage:
        return 'not an IsoMessage';
      case TestProcessing.Throw:
        throw new Error('handler exploded');
      case undefined:
      default:
        return replyTo(request.message, ResponseCode.Approved, { [Field.Rrn]: '000000000001' });
    }
  }

  /** Answers through an Observable, the other shape Nest handlers may return. */
  @MessagePattern(IsoPattern.ReversalAdvice)
  reversalAdvice(@Payload() request: IsoRequest): Observable<IsoMessage> {
    this.gates.record(request);
    return of(replyTo(request.message, ResponseCode.Approved));
  }
}

export interface TerminalTestApp {
  app: INestMicroservice;
  strategy: IsoServerStrategy;
  gates: HandlerGates;
  directory: InMemoryTerminalDirectory;
  asciiPort: number;
  nacPort: number;
  logs: Array<{ level: string; msg: string; obj: object }>;
  close(): Promise<void>;
}

/** A Nest microservice with the ISO strategy on ephemeral ports for both dialects and an in-memory directory. */
export async function startTerminalTestApp(options: Partial<IsoListenerOptions> = {}): Promise<TerminalTestApp> {
  const gates = new HandlerGates();
  const directory = new InMemoryTerminalDirectory(TEST_TERMINALS);
  const logs: TerminalTestApp['logs'] = [];
  const logger: IsoLogger = {
    debug: (obj, msg) => logs.push({ level: 'debug', msg, obj }),
    info: (obj, msg) => logs.push({ level: 'info', msg, obj }),
    warn: (obj, msg) => logs.push({ level: 'warn', msg, obj }),
    error: (obj, msg) => logs.push({ level: 'error', msg, obj }),
  };
  const strategy = new IsoServerStrategy(
    {
      listeners: [
        { dialect: 'ascii', host: '127.0.0.1', port: 0 },
        { dialect: 'nac-bcd', host: '127.0.0.1', port: 0 },
      ],
      idleTimeoutMs: 30_000,
      maxConnections: 64,
      maxInFlightPerConnection: 8,
      shutdownGraceMs: 5_000,
      // Tests hold connections open before their first frame; a loaded CI machine must not close them.
      firstFrameTimeoutMs: 60_000,
      ...options,
    },
    directory,
    logger,
  );

  @Module({
    imports: [TerminalModule],
    controllers: [TestFinancialController],
    providers: [{ provide: HANDLER_GATES, useValue: gates }],
  })
  class TerminalTestModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(TerminalTestModule, { strategy, logger: false });
  await app.listen();
  return {
    app,
    strategy,
    gates,
    directory,
    asciiPort: strategy.portOf('ascii'),
    nacPort: strategy.portOf('nac-bcd'),
    logs,
    close: () => app.close(),
  };
}

/** Resolves once `predicate` holds, checking on each turn of the event loop (no fixed sleeps). */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
