/**
 * Pack and unpack throughput of libs/iso8583 for a typical 0200 and 0210, in both dialects, against
 * the iso_8583 npm package measured in the same run on the same messages (its ascii format is the
 * baseline for both dialects). Unpack counts a message only once every field value has been read.
 *
 *   npm run bench:codec            (about 15 s: each case gets BENCH_MS, default 1000)
 *   BENCH_MS=3000 npm run bench:codec
 */
import { cpus, loadavg } from 'node:os';
import { asciiDialect, IsoMessage, nacBcdDialect, type Dialect } from '@switch/iso8583';

interface PackageMessage {
  getBufferMessage(): Buffer | { error: string };
  getIsoJSON(buffer: Buffer, config: object): Record<string, string> | { error: string };
}
type PackageCtor = new (message?: Record<string, string>) => PackageMessage;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Iso8583 = require('iso_8583') as PackageCtor;

const RUN_MS = Number(process.env.BENCH_MS ?? 1000);
const WARMUP_MS = Math.max(100, RUN_MS / 4);
const PACK_GOAL = 20;
const UNPACK_GOAL = 10;

const messages: Record<string, Record<number, string>> = {
  '0200': {
    3: '000000',
    4: '000000012345',
    11: '000123',
    12: '143015',
    13: '0612',
    22: '031',
    25: '00',
    41: 'TERM0001',
    42: 'MERCHANT0000001',
    48: '281234567890123456',
    49: '156',
  },
  '0210': {
    3: '000000',
    4: '000000012345',
    11: '000123',
    12: '143015',
    13: '0612',
    37: '061214301500',
    38: 'A1B2C3',
    39: '00',
    41: 'TERM0001',
    42: 'MERCHANT0000001',
    44: 'ALIPAY',
    49: '156',
    62: '2024061222001400001234567890',
    63: 'ALIPAY+ CN',
  },
};

let sink = 0;
const ROUNDS = 10;

interface Tally {
  ops: number;
  ns: number;
}

/** Runs `op` in batches for about `ms`, adding operations and elapsed time to `tally`. */
function runFor(op: () => number, ms: number, tally: Tally): void {
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  let ops = 0;
  while (now < deadline) {
    for (let i = 0; i < 64; i++) sink += op();
    ops += 64;
    now = process.hrtime.bigint();
  }
  tally.ops += ops;
  tally.ns += Number(now - start);
}

/**
 * Operations per second of each contender. They take turns in short slices, so a neighbour's load
 * on this shared machine falls on all of them alike instead of on whichever ran during a spike.
 */
function race(contenders: ReadonlyArray<() => number>): number[] {
  const tallies = contenders.map(() => ({ ops: 0, ns: 0 }));
  contenders.forEach((op) => runFor(op, WARMUP_MS, { ops: 0, ns: 0 }));
  for (let round = 0; round < ROUNDS; round++)
    contenders.forEach((op, i) => runFor(op, RUN_MS / ROUNDS, tallies[i]));
  return tallies.map((t) => t.ops / (t.ns / 1e9));
}

function packageFrame(mti: string, fields: Record<number, string>): Buffer {
  const result = new Iso8583({ 0: mti, ...fields }).getBufferMessage();
  if (!Buffer.isBuffer(result)) throw new Error(`iso_8583: ${result.error}`);
  return result;
}

function readAll(message: IsoMessage): number {
  let n = message.mti.length;
  for (const f of message.fieldNumbers()) n += message.get(f)!.length;
  return n;
}

interface Row {
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  readonly goal: number;
}

function bench(): Row[] {
  const rows: Row[] = [];
  const dialects: Dialect[] = [asciiDialect, nacBcdDialect];
  for (const [mti, fields] of Object.entries(messages)) {
    const message = new IsoMessage(mti, fields);
    const theirFrame = packageFrame(mti, fields);
    const [basePack, ...oursPack] = race([
      () => packageFrame(mti, fields).length,
      ...dialects.map((d) => () => d.encodeFrame(message).length),
    ]);
    const [baseUnpack, ...oursUnpack] = race([
      () => {
        const json = new Iso8583().getIsoJSON(theirFrame, {}) as Record<string, string>;
        let n = 0;
        for (const key of Object.keys(json)) n += json[key].length;
        return n;
      },
      ...dialects.map((d) => {
        const payload = d.encodeFrame(message).subarray(2);
        return () => readAll(d.decodeFrame(payload).message);
      }),
    ]);
    dialects.forEach((d, i) => {
      rows.push({ name: `${mti} pack   ${d.name}`, ours: oursPack[i], baseline: basePack, goal: PACK_GOAL });
      rows.push({
        name: `${mti} unpack ${d.name}`,
        ours: oursUnpack[i],
        baseline: baseUnpack,
        goal: UNPACK_GOAL,
      });
    });
  }
  return rows;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function main(): void {
  console.log(
    `ISO 8583 codec benchmark: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${RUN_MS} ms per case`,
  );
  console.log(
    `baseline: iso_8583 2.6.7 (ascii), same message, interleaved with ours in ${ROUNDS} rounds; load average ${loadavg()[0].toFixed(1)}\n`,
  );
  const rows = bench();
  const header = ['case', 'ours msg/s', 'iso_8583 msg/s', 'ratio', 'goal', 'met'];
  const table = rows.map((r) => {
    const ratio = r.ours / r.baseline;
    return [
      r.name,
      fmt(r.ours),
      fmt(r.baseline),
      `${ratio.toFixed(1)}x`,
      `>=${r.goal}x`,
      ratio >= r.goal ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  if (sink === -1) console.log('');
}

main();
