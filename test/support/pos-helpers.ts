import { randomInt } from 'node:crypto';
import { IsoMessage } from '@switch/iso8583';

// STANs unique within a test process: a reused live STAN on the same terminal is (rightly) answered 94.
let stanSequence = randomInt(0, 900_000);
export function nextStan(): string {
  stanSequence = (stanSequence + 1) % 1_000_000;
  return String(stanSequence).padStart(6, '0');
}

/** An 18-digit payment code (valid for every channel) whose last three digits pick the sandbox behaviour. */
export function paymentCode(behaviour: string): string {
  return `28${String(randomInt(0, 10 ** 13)).padStart(13, '0')}${behaviour}`;
}

const DEMO_MERCHANTS = {
  ams: ['MERCHANT0000001', 1],
  openapi: ['MERCHANT0000002', 11],
  mapi: ['MERCHANT0000003', 21],
} as const;

export type DemoChannel = keyof typeof DEMO_MERCHANTS;

/** A seeded demo terminal: the first five of each merchant speak ascii, the last five nac-bcd. */
export function demoTerminal(
  channel: DemoChannel,
  dialect: 'ascii' | 'nac-bcd',
  index = 0,
): { terminalId: string; merchantId: string } {
  const [merchantId, first] = DEMO_MERCHANTS[channel];
  const n = first + (dialect === 'ascii' ? 0 : 5) + (index % 5);
  return { terminalId: `TERM${String(n).padStart(4, '0')}`, merchantId };
}

export interface SandboxPaymentView {
  status: 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'REFUNDED';
  refundedMinor: number;
  amountMinor: number;
  calls: Array<{
    api: string;
    at: string;
    headers: Record<string, string>;
    requestId?: string;
    resultCode?: string;
  }>;
}

export async function sandboxPayment(
  sandboxUrl: string,
  id: string,
): Promise<SandboxPaymentView | undefined> {
  const response = await fetch(`${sandboxUrl}/sandbox/payments/${encodeURIComponent(id)}`);
  if (response.status === 404) return undefined;
  return (await response.json()) as SandboxPaymentView;
}

/** Sets the sandbox's API faults (POST /sandbox/faults), or clears them with undefined. */
export async function setSandboxFaults(sandboxUrl: string, faults: object | undefined): Promise<void> {
  const response = await fetch(`${sandboxUrl}/sandbox/faults`, {
    method: faults ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(faults ? { body: JSON.stringify(faults) } : {}),
  });
  if (!response.ok) throw new Error(`sandbox faults: HTTP ${response.status}`);
}

/** Polls until `check` returns a value that is not undefined, or fails with the last value seen. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The payment request id the switch put in field 63 of a reply. */
export function paymentRequestIdOf(reply: IsoMessage): string {
  const id = reply.get(63);
  if (!id) throw new Error(`reply ${reply.mti} has no field 63 (39=${reply.get(39)})`);
  return id;
}
