import { Field, IsoMessage, createDialect, type DialectName } from '@switch/iso8583';
import type { ReplyChannel } from './iso-connection';
import { silentIsoLogger, type IsoLogger } from './iso-logger';
import { ResponseCode, replyTo } from './iso-reply';
import type { IsoRequest } from './iso-request';
import { IsoRequestPipeline, type IsoHandler } from './iso-request-pipeline';
import type { TerminalDirectory, TerminalRecord } from './terminal-directory.port';

const TERMINAL: TerminalRecord = { terminalId: 'TERM0001', merchantId: 'MERCHANT0000001', dialect: 'ascii', status: 'active', merchantTimeoutMs: 1_000 };

/** A connection that records what would have been written. */
class RecordingChannel implements ReplyChannel {
  readonly remoteAddress = '127.0.0.1';
  readonly id = 'test-1';
  readonly written: IsoMessage[] = [];
  closedReason?: string;
  private readonly closeListeners: Array<() => void> = [];
  readonly dialect;
  constructor(dialectName: DialectName = 'ascii') {
    this.dialect = createDialect(dialectName);
  }
  async write(frame: Buffer): Promise<boolean> {
    this.written.push(this.dialect.decodeFrame(frame.subarray(2)).message);
    return true;
  }
  close(reason: string): void {
    this.closedReason = reason;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
  onClose(listener: () => void): () => void {
    this.closeListeners.push(listener);
    return () => undefined;
  }
}

function echoFrame(stan = '000001', mti = '0800', terminalId = 'TERM0001'): Buffer {
  const message = new IsoMessage(mti, { [Field.Stan]: stan, [Field.TerminalId]: terminalId, [Field.NetworkManagementCode]: '301' });
  return createDialect('ascii').encodeFrame(message).subarray(2);
}

function pipelineWith(options: {
  handler?: IsoHandler;
  directory?: TerminalDirectory;
  now?: () => number;
  logger?: IsoLogger;
}): { pipeline: IsoRequestPipeline; seen: IsoRequest[] } {
  const seen: IsoRequest[] = [];
  const handler: IsoHandler =
    options.handler ??
    (async (request) => {
      seen.push(request);
      return replyTo(request.message, ResponseCode.Approved);
    });
  const pipeline = new IsoRequestPipeline({
    directory: options.directory ?? { find: async (id) => (id === TERMINAL.terminalId ? TERMINAL : undefined) },
    resolveHandler: (pattern) => (pattern === 'iso.0800' ? handler : undefined),
    logger: options.logger ?? silentIsoLogger,
    now: options.now,
  });
  return { pipeline, seen };
}

describe('IsoRequestPipeline', () => {
  it('dispatches a request and resolves delivery true once written', async () => {
    const channel = new RecordingChannel();
    const { pipeline, seen } = pipelineWith({ now: () => 5_000 });
    await pipeline.process(echoFrame(), channel);
    expect(channel.written.map((m) => m.get(Field.ResponseCode))).toEqual(['00']);
    expect(seen[0].deadlineAt).toBe(6_000);
    expect(seen[0].receivedAt.getTime()).toBe(5_000);
    await expect(seen[0].delivery).resolves.toBe(true);
  });

  it('drops a reply that is ready after the deadline and resolves delivery false', async () => {
    let clock = 10_000;
    const seen: IsoRequest[] = [];
    const channel = new RecordingChannel();
    const { pipeline } = pipelineWith({
      now: () => clock,
      handler: async (request) => {
        seen.push(request);
        clock = request.deadlineAt + 1;
        return replyTo(request.message, ResponseCode.Approved);
      },
    });
    await pipeline.process(echoFrame(), channel);
    expect(channel.written).toEqual([]);
    await expect(seen[0].delivery).resolves.toBe(false);
  });

  it('counts the deadline from when the frame arrived, not when it is processed', async () => {
    const channel = new RecordingChannel();
    const { pipeline, seen } = pipelineWith({ now: () => 5_000 });
    // Read at 4,200 ms, started at 5,000 ms after waiting for an in-flight slot.
    await pipeline.process(echoFrame(), channel, 4_200);
    expect(seen[0].receivedAt.getTime()).toBe(4_200);
    expect(seen[0].deadlineAt).toBe(5_200);
  });

  it('resolves delivery false when the write completes after the deadline', async () => {
    let clock = 10_000;
    const seen: IsoRequest[] = [];
    const channel = new RecordingChannel();
    const write = channel.write.bind(channel);
    // The kernel send buffer was full: the write's callback fires after the terminal gave up.
    channel.write = async (frame: Buffer): Promise<boolean> => {
      const written = await write(frame);
      clock = seen[0].deadlineAt + 1;
      return written;
    };
    const { pipeline } = pipelineWith({
      now: () => clock,
      handler: async (request) => {
        seen.push(request);
        return replyTo(request.message, ResponseCode.Approved);
      },
    });
    await pipeline.process(echoFrame(), channel);
    expect(channel.written.map((m) => m.get(Field.ResponseCode))).toEqual(['00']);
    await expect(seen[0].delivery).resolves.toBe(false);
  });

  it('answers 96 when the directory fails', async () => {
    const channel = new RecordingChannel();
    const { pipeline, seen } = pipelineWith({ directory: { find: () => Promise.reject(new Error('db down')) } });
    await pipeline.process(echoFrame(), channel);
    expect(channel.written.map((m) => m.get(Field.ResponseCode))).toEqual(['96']);
    expect(seen).toEqual([]);
  });

  it('answers 30 when field 41 is missing', async () => {
    const channel = new RecordingChannel();
    const { pipeline } = pipelineWith({});
    const frame = createDialect('ascii').encodeFrame(new IsoMessage('0800', { [Field.Stan]: '000009', [Field.NetworkManagementCode]: '301' }));
    await pipeline.process(frame.subarray(2), channel);
    expect(channel.written.map((m) => [m.mti, m.get(Field.Stan), m.get(Field.ResponseCode)])).toEqual([['0810', '000009', '30']]);
  });

  it.each([
    [Field.TerminalId, "TERM'001"],
    [Field.MerchantId, 'MERCHANT%000001'],
    [Field.Rrn, "00000000001\\"],
  ])('answers 30 to field %s outside its character set without looking the terminal up', async (field, value) => {
    const channel = new RecordingChannel();
    const lookups: string[] = [];
    const { pipeline, seen } = pipelineWith({ directory: { find: async (id) => (lookups.push(id), TERMINAL) } });
    const message = new IsoMessage('0800', { [Field.Stan]: '000009', [Field.TerminalId]: 'TERM0001', [Field.NetworkManagementCode]: '301' });
    message.set(field, value);
    await pipeline.process(createDialect('ascii').encodeFrame(message).subarray(2), channel);
    expect(channel.written.map((m) => m.get(Field.ResponseCode))).toEqual(['30']);
    expect(lookups).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('ignores a response-class message from a terminal', async () => {
    const channel = new RecordingChannel();
    const warnings: string[] = [];
    const { pipeline, seen } = pipelineWith({ logger: { ...silentIsoLogger, warn: (_o, msg) => warnings.push(msg) } });
    await pipeline.process(echoFrame('000001', '0810'), channel);
    expect(channel.written).toEqual([]);
    expect(seen).toEqual([]);
    expect(warnings).toEqual(['unsolicited response ignored']);
  });

  it('answers 96 built from the request when the handler reply cannot be encoded', async () => {
    const channel = new RecordingChannel();
    const { pipeline } = pipelineWith({
      handler: async (request) => replyTo(request.message, ResponseCode.Approved, { [Field.Stan]: 'not-a-stan' }),
    });
    await pipeline.process(echoFrame('000077'), channel);
    expect(channel.written.map((m) => [m.get(Field.Stan), m.get(Field.ResponseCode)])).toEqual([['000077', '96']]);
  });

  it('resolves delivery false as soon as the connection closes under a running handler', async () => {
    const channel = new RecordingChannel();
    let started!: (request: IsoRequest) => void;
    const handlerStarted = new Promise<IsoRequest>((resolve) => (started = resolve));
    const { pipeline } = pipelineWith({
      handler: (request) => {
        started(request);
        return new Promise<never>(() => undefined);
      },
    });
    const done = pipeline.process(echoFrame(), channel);
    const request = await handlerStarted;
    channel.close('peer went away');
    await done;
    await expect(request.delivery).resolves.toBe(false);
    expect(channel.written).toEqual([]);
  });

  it('closes the connection on a frame without a readable MTI', async () => {
    const channel = new RecordingChannel();
    const { pipeline } = pipelineWith({});
    await pipeline.process(Buffer.from('ZZ'), channel);
    expect(channel.closedReason).toBe('undecodable frame');
    expect(channel.written).toEqual([]);
  });
});
