import { asObject } from './json-read';

/** Failure switches for the API paths (never the /sandbox control paths, so a test can always undo them). */
export interface SandboxFaults {
  /** Added before every API answer. */
  latencyMs: number;
  /** 0..1: the share of API calls answered HTTP 500 without taking effect. */
  errorRate: number;
  /** Destroy every API connection at once, without an answer. */
  refuseAll: boolean;
}

export const NO_FAULTS: Readonly<SandboxFaults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  refuseAll: false,
});

/** POST /sandbox/faults body -> the complete fault set (fields left out are off), or what is wrong with it. */
export function parseFaults(body: string): SandboxFaults | { error: string } {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return { error: 'body is not JSON' };
  }
  const input = asObject(value);
  if (!input) return { error: 'body is not a JSON object' };
  const unknownKeys = Object.keys(input).filter((k) => !['latencyMs', 'errorRate', 'refuseAll'].includes(k));
  if (unknownKeys.length > 0) return { error: `unknown fields: ${unknownKeys.join(', ')}` };
  const { latencyMs = 0, errorRate = 0, refuseAll = false } = input;
  if (typeof latencyMs !== 'number' || !Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
    return { error: 'latencyMs must be an integer 0..600000' };
  }
  if (typeof errorRate !== 'number' || !(errorRate >= 0 && errorRate <= 1)) {
    return { error: 'errorRate must be a number 0..1' };
  }
  if (typeof refuseAll !== 'boolean') return { error: 'refuseAll must be a boolean' };
  return { latencyMs, errorRate, refuseAll };
}
