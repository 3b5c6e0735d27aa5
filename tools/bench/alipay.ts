/**
 * `npm run bench:alipay`, two measurements, each beside a baseline taken in the same run:
 *
 * 1. RSA-2048 SHA256withRSA sign and verify per second: node:crypto (what the adapters use) against
 *    node-forge (pure JavaScript) on the same key and the same Open Platform-sized sign content.
 * 2. Signed pay round trips per second through each adapter (ams, openapi, mapi) against the sandbox on an
 *    ephemeral port, against a baseline of bare keep-alive HTTP round trips to the same server (no signing,
 *    no JSON/XML): the ratio shows what signing, verifying and mapping cost on top of HTTP.
 *
 * Options: --seconds N (per round, default 2), --concurrency N (pays in flight, default 16).
 * Ends by itself in about 20 s with the defaults.
 */
import * as http from 'node:http';
import { randomInt } from 'node:crypto';
import * as os from 'node:os';
import * as forge from 'node-forge';
import {
  ChannelOutcome,
  createChannel,
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  MerchantContext,
  rsaSign,
  rsaVerify,
  startSandbox,
  WalletChannel,
} from '@switch/alipay';
import { argValue, fmt } from './bench-args';

const SECONDS = Number(argValue('seconds', '2'));
const CONCURRENCY = Number(argValue('concurrency', '16'));
const WARMUP_MS = 300;


/** Runs `op` back to back for `seconds`; returns operations per second. */
function rateSync(seconds: number, op: () => void): number {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < end) {
    op();
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

function cryptoRound(): void {
  const pair = generateRsaKeyPair();
  const content =
    'app_id=2021000000000001&biz_content={"out_trade_no":"PR20240301000000000001","scene":"bar_code","auth_code":"281234567890123456",' +
    '"product_code":"FACE_TO_FACE_PAYMENT","subject":"Coffee","total_amount":"12.34","store_id":"S1","terminal_id":"T1"}' +
    '&charset=utf-8&format=JSON&method=alipay.trade.pay&sign_type=RSA2&timestamp=2024-03-01 08:00:00&version=1.0';

  const nodePrivate = loadPrivateKey(pair.privateKeyPem);
  const nodePublic = loadPublicKey(pair.publicKeyPem);
  const forgePrivate = forge.pki.privateKeyFromPem(pair.privateKeyPem);
  const forgePublic = forge.pki.publicKeyFromPem(pair.publicKeyPem);
  const forgeSign = (): string => {
    const md = forge.md.sha256.create();
    md.update(content, 'utf8');
    return forge.util.encode64(forgePrivate.sign(md));
  };
  const signature = rsaSign(content, nodePrivate);
  if (forgeSign() !== signature) throw new Error('node:crypto and node-forge disagree on the signature');
  const forgeVerify = (): boolean => {
    const md = forge.md.sha256.create();
    md.update(content, 'utf8');
    return forgePublic.verify(md.digest().bytes(), forge.util.decode64(signature));
  };
  if (!forgeVerify() || !rsaVerify(content, signature, nodePublic)) throw new Error('verify failed');

  const slice = Math.max(0.5, SECONDS / 2);
  const rows = [
    ['sign', rateSync(slice, () => rsaSign(content, nodePrivate)), rateSync(slice, forgeSign)],
    ['verify', rateSync(slice, () => rsaVerify(content, signature, nodePublic)), rateSync(slice, forgeVerify)],
  ] as const;
  console.log('\nRSA-2048 SHA256withRSA, one thread (content %d bytes)', Buffer.byteLength(content));
  console.log('  op       node:crypto/s   node-forge/s   ratio (crypto / forge)');
  for (const [op, node, forgeRate] of rows) {
    console.log(`  ${op.padEnd(7)} ${fmt(node).padStart(14)} ${fmt(forgeRate).padStart(14)}   ${fmt(node / forgeRate, 1)}x`);
  }
}

interface LoadResult {
  rate: number;
  p50Ms: number;
  p99Ms: number;
  outcomes: Record<string, number>;
}

/** Keeps `CONCURRENCY` calls in flight for `seconds` (after a short warm-up); counts completions. */
async function load(seconds: number, call: (i: number) => Promise<string>): Promise<LoadResult> {
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let counter = 0;
  let measuring = false;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop) {
      const t0 = performance.now();
      const kind = await call(counter++);
      if (measuring) {
        latencies.push(performance.now() - t0);
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      }
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { rate: latencies.length / elapsed, p50Ms: pct(0.5), p99Ms: pct(0.99), outcomes };
}

function bareHttp(url: string): (i: number) => Promise<string> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL('/sandbox/payments/bench-baseline', url);
  return () =>
    new Promise<string>((resolve) => {
      const req = http.request(target, { method: 'GET', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(`http-${res.statusCode ?? 0}`));
      });
      req.on('error', () => resolve('error'));
      req.end();
    });
}

const merchant: MerchantContext = {
  merchantId: 'M000000000000001',
  merchantName: 'Bench Cafe',
  mcc: '5812',
  storeId: 'S1',
  storeName: 'Main',
  terminalId: 'T0000001',
};

function payCall(channel: WalletChannel, runId: string): (i: number) => Promise<string> {
  return async (i) => {
    // 18 digits, prefix 28, ending 000: the sandbox's "success at once" behaviour.
    const paymentCode = `28${String(randomInt(1e9)).padStart(9, '0')}${String(i % 1e4).padStart(4, '0')}000`;
    const outcome: ChannelOutcome = await channel.pay({
      paymentRequestId: `BENCH${runId}${String(i).padStart(8, '0')}`,
      paymentCode,
      amount: { amountMinor: 1234, currency: 'CNY' },
      subject: 'Bench coffee',
      merchant,
      terminalRequestTime: new Date(),
    });
    return outcome.kind === 'unknown' ? `unknown:${outcome.cause}` : outcome.kind;
  };
}

async function adapterRound(): Promise<void> {
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
  const creds = sandbox.credentials;
  const timeoutMs = 5000;
  const channels = [
    createChannel({
      channel: 'ams',
      baseUrl: sandbox.url,
      clientId: creds.ams.clientId,
      merchantPrivateKey: creds.ams.merchantPrivateKey,
      alipayPublicKey: creds.ams.alipayPublicKey,
      keyVersion: creds.ams.keyVersion,
      timeoutMs,
    }),
    createChannel({
      channel: 'openapi',
      gatewayUrl: `${sandbox.url}/gateway.do`,
      appId: creds.openapi.appId,
      merchantPrivateKey: creds.openapi.merchantPrivateKey,
      alipayPublicKey: creds.openapi.alipayPublicKey,
      timeoutMs,
    }),
    createChannel({
      channel: 'mapi',
      gatewayUrl: `${sandbox.url}/mapi/gateway.do`,
      partner: creds.mapi.partner,
      signType: 'MD5',
      md5Key: creds.mapi.md5Key,
      timeoutMs,
    }),
  ];
  try {
    const runId = Date.now().toString(36).toUpperCase();
    const baseline = await load(SECONDS, bareHttp(sandbox.url));
    console.log(`\nPay round trips against the sandbox (${CONCURRENCY} in flight, ${SECONDS} s each, same process)`);
    console.log('  path                       per s     p50 ms   p99 ms   ratio to bare HTTP   outcomes');
    const line = (name: string, r: LoadResult): void => {
      console.log(
        `  ${name.padEnd(24)} ${fmt(r.rate).padStart(7)} ${fmt(r.p50Ms, 2).padStart(10)} ${fmt(r.p99Ms, 2).padStart(8)}` +
          `   ${fmt(r.rate / baseline.rate, 2).padStart(18)}   ${JSON.stringify(r.outcomes)}`,
      );
    };
    line('bare HTTP GET (baseline)', baseline);
    for (const channel of channels) {
      line(`${channel.name} signed pay`, await load(SECONDS, payCall(channel, `${channel.name.toUpperCase()}${runId}`)));
    }
  } finally {
    for (const channel of channels) (channel as { close?: () => void }).close?.();
    await sandbox.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:alipay on ${os.cpus().length} CPU(s), node ${process.version}`);
  cryptoRound();
  await adapterRound();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
