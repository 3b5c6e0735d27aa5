// Small typed wrappers over the /sandbox control API, for tests and benchmarks.

import type { SandboxFaults } from '../faults';
import type { SandboxPaymentView } from '../ledger';

export async function getPayment(baseUrl: string, id: string): Promise<SandboxPaymentView | undefined> {
  const res = await fetch(`${baseUrl}/sandbox/payments/${encodeURIComponent(id)}`);
  if (res.status === 404) {
    await res.text();
    return undefined;
  }
  if (res.status !== 200) throw new Error(`GET /sandbox/payments/${id}: HTTP ${res.status}`);
  return (await res.json()) as SandboxPaymentView;
}

export async function setFaults(baseUrl: string, faults: Partial<SandboxFaults>): Promise<void> {
  const res = await fetch(`${baseUrl}/sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (res.status !== 200) throw new Error(`POST /sandbox/faults: HTTP ${res.status} ${await res.text()}`);
  await res.text();
}

export async function clearFaults(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/sandbox/faults`, { method: 'DELETE' });
  await res.text();
}

export async function resetSandbox(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/sandbox/reset`, { method: 'POST' });
  await res.text();
}
