/**
 * POS simulator: `npm run pos -- <command> [options]`. Sends one message to the switch as an EFT POS would and
 * prints what went out and what came back. See docs/terminal-listener.md.
 */
import { Field, describeMessage, type DialectName, type IsoMessage } from '@switch/iso8583';
import { flag, integerOption, optionalString, parseArgs, PosUsageError, stringOption, type ParsedArgs } from './pos/cli-args';
import { echo, inquiry, purchase, randomStan, refund, reversal, signOff, signOn } from './pos/messages';
import { PosClient } from './pos/pos-client';
import { receiptText } from './pos/receipt';

const USAGE = `usage: npm run pos -- <command> [options]
commands:
  signon | signoff | echo
  purchase --amount <minor units> --code <payment code> [--currency 840]
  refund   --amount <minor units> --rrn <original rrn> [--original-stan N] [--currency 840]
  inquiry  --rrn <original rrn>
  reversal --stan <original stan> [--amount <minor units>] [--advice] [--repeat] [--original-datetime MMDDhhmmss (the original's fields 13+12; omitted: found by STAN)]
options:
  --host 127.0.0.1  --port 8583  --dialect ascii|nac-bcd  --terminal TERM0001  --merchant MERCHANT0000001
  --stan N (default random)  --mac-key <32 hex>  --timeout-ms 65000  --unmasked (print field 48 in clear)
  --time-zone <IANA name> (the receipt's local time; default this machine's)`;

const FLAGS = new Set(['advice', 'repeat', 'unmasked', 'help']);

function buildMessage(args: ParsedArgs): IsoMessage {
  const terminalId = stringOption(args, 'terminal', 'TERM0001');
  const merchantId = stringOption(args, 'merchant', 'MERCHANT0000001');
  const stan = optionalString(args, 'stan') ?? randomStan();
  const currency = optionalString(args, 'currency');
  switch (args.command) {
    case 'signon':
      return signOn({ terminalId, stan });
    case 'signoff':
      return signOff({ terminalId, stan });
    case 'echo':
      return echo({ terminalId, stan });
    case 'purchase':
      return purchase({ terminalId, merchantId, stan, amountMinor: integerOption(args, 'amount'), paymentCode: stringOption(args, 'code'), currency });
    case 'refund':
      return refund({
        terminalId,
        merchantId,
        stan,
        amountMinor: integerOption(args, 'amount'),
        originalRrn: stringOption(args, 'rrn'),
        originalStan: optionalString(args, 'original-stan'),
        currency,
      });
    case 'inquiry':
      return inquiry({ terminalId, merchantId, stan, originalRrn: stringOption(args, 'rrn') });
    case 'reversal': {
      const amount = optionalString(args, 'amount');
      return reversal({
        terminalId,
        merchantId,
        originalStan: stringOption(args, 'stan'),
        amountMinor: amount === undefined ? undefined : integerOption(args, 'amount'),
        currency,
        advice: flag(args, 'advice'),
        repeat: flag(args, 'repeat'),
        // Unknown unless given: the switch then finds the original by terminal, merchant and STAN.
        originalTransmission: optionalString(args, 'original-datetime'),
      });
    }
    case undefined:
    default:
      throw new PosUsageError(args.command ? `unknown command "${args.command}"` : 'a command is required');
  }
}

function dialectOption(args: ParsedArgs): DialectName {
  const dialect = stringOption(args, 'dialect', 'ascii');
  if (dialect !== 'ascii' && dialect !== 'nac-bcd') throw new PosUsageError('--dialect must be ascii or nac-bcd');
  return dialect;
}

function macKeyOption(args: ParsedArgs): Buffer | undefined {
  const hex = optionalString(args, 'mac-key');
  if (hex === undefined) return undefined;
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new PosUsageError('--mac-key must be 32 hex digits (16 bytes)');
  return Buffer.from(hex, 'hex');
}

function timeZoneOption(args: ParsedArgs): string {
  const zone = optionalString(args, 'time-zone') ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new PosUsageError(`--time-zone must be an IANA time zone such as Asia/Shanghai, got "${zone}"`);
  }
  return zone;
}

function show(direction: string, message: IsoMessage, unmasked: boolean): void {
  // --unmasked shows field 48 in clear on the operator's own terminal; nothing here is logged.
  process.stdout.write(`${direction} ${describeMessage(message, { unmasked })}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (flag(args, 'help') || args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const message = buildMessage(args);
  const macKey = macKeyOption(args);
  const host = stringOption(args, 'host', '127.0.0.1');
  const port = integerOption(args, 'port', 8583);
  const unmasked = flag(args, 'unmasked');
  const timeZone = timeZoneOption(args);
  const client = await PosClient.connect(host, port, { dialect: dialectOption(args), macKey, timeoutMs: integerOption(args, 'timeout-ms', 65_000) });
  try {
    show('-->', message, unmasked);
    const started = process.hrtime.bigint();
    const exchange = await client.exchange(message);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    show('<--', exchange.reply, unmasked);
    const macNote = exchange.macValid === undefined ? '' : ` mac=${exchange.macValid ? 'valid' : 'INVALID'}`;
    const tpduNote = exchange.tpdu ? ` tpdu=${exchange.tpdu.toString('hex')}` : '';
    process.stdout.write(`response code ${exchange.reply.get(Field.ResponseCode) ?? '(none)'} in ${elapsedMs.toFixed(1)} ms${tpduNote}${macNote}\n`);
    // An approved purchase or refund prints its slip (seed 004's receipt content).
    const slip = receiptText(exchange.reply, { timeZone });
    if (slip) process.stdout.write(`\n${slip}`);
    return exchange.reply.get(Field.ResponseCode) === '00' ? 0 : 2;
  } finally {
    await client.close();
  }
}

// `npm run pos -- ... | head` closes stdout early; that is not an error of the exchange.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof PosUsageError) process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    else process.stderr.write(`pos: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
