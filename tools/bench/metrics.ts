/**
 * What the metrics cost per message and per Alipay call: CPU time (process.cpuUsage) of
 * - IsoReplyMeter.replied (the terminal gateway's per-reply hook) against a no-op observer, and
 * - a MeteredChannel call against the bare channel (an adapter answering at once),
 * measured in the same run, each case alternated for 5 rounds (the median is printed).
 *
 *   npm run bench:metrics           (about 10 s)
 */
import type { ChannelOutcome, InquireRequest, WalletChannel } from '@switch/alipay';
import { IsoReplyMeter } from '../../src/operations/metrics/iso-reply-meter';
import { MeteredChannel } from '../../src/operations/metrics/metered-channel';
import { SwitchMetrics } from '../../src/operations/metrics/switch-metrics';
import type { IsoReplyObserver } from '../../src/terminal/iso-reply-observer';
import { purchase } from '../pos/messages';

const REPLIES = 2_000_000;
const CALLS = 200_000;
const ROUNDS = 5;

function cpuNs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

async function cpuNsAsync(work: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const metrics = new SwitchMetrics();
  const message = purchase({
    terminalId: 'TERM0001',
    merchantId: 'MERCHANT0000001',
    stan: '000001',
    at: new Date(),
    amountMinor: 100,
    paymentCode: '281234567890123000',
  });
  const codes = ['00', '05', '51', '00'];
  const observers: Record<string, IsoReplyObserver> = {
    baseline: { replied: () => undefined, deadlinePassed: () => undefined },
    metered: new IsoReplyMeter(metrics),
  };
  const outcome: ChannelOutcome = { kind: 'success', raw: { api: 'inquire', requestId: 'r', latencyMs: 80 } };
  const answer = () => Promise.resolve(outcome);
  const bare: WalletChannel = {
    name: 'ams',
    pay: answer,
    inquire: answer,
    cancel: answer,
    refund: answer,
    verifyNotification: () => false,
    parseNotification: () => undefined,
  };
  const channels = { baseline: bare, metered: new MeteredChannel(bare, metrics) };
  const request = { paymentRequestId: 'P' } as InquireRequest;

  const replyNs: Record<string, number[]> = { baseline: [], metered: [] };
  const callNs: Record<string, number[]> = { baseline: [], metered: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['baseline', 'metered'] as const) {
      const observer = observers[name];
      replyNs[name].push(
        cpuNs(() => {
          for (let i = 0; i < REPLIES; i++) observer.replied(message, codes[i & 3]);
        }) / REPLIES,
      );
      const channel = channels[name];
      callNs[name].push(
        (await cpuNsAsync(async () => {
          for (let i = 0; i < CALLS; i++) await channel.inquire(request);
        })) / CALLS,
      );
    }
  }
  const line = (what: string, ns: Record<string, number[]>) => {
    const [base, metered] = [median(ns.baseline), median(ns.metered)];
    return `${what}: baseline ${base.toFixed(0)} ns, metered ${metered.toFixed(0)} ns, added ${(metered - base).toFixed(0)} ns (ratio ${(metered / base).toFixed(2)}x)`;
  };
  process.stdout.write(`${line('ISO reply hook', replyNs)}\n${line('Alipay call', callNs)}\n`);
}

void main();
