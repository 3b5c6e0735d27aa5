import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/**
 * Reads typed values out of the environment and remembers every problem, so that validation
 * reports all bad settings at once instead of failing on the first.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string {
    const value = this.raw(name);
    if (value !== undefined) return value;
    if (fallback === undefined) this.problems.push(`${name} is required`);
    return fallback ?? '';
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) {
      this.problems.push(`${name} must be an integer, got "${value}"`);
      return fallback;
    }
    const parsed = Number(value);
    if (range.min !== undefined && parsed < range.min)
      this.problems.push(`${name} must be >= ${range.min}, got ${parsed}`);
    if (range.max !== undefined && parsed > range.max)
      this.problems.push(`${name} must be <= ${range.max}, got ${parsed}`);
    return parsed;
  }

  /** An integer that may be left unset (no default: unset means "not configured"). */
  optionalInteger(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    return this.raw(name) === undefined ? undefined : this.integer(name, 0, range);
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, { min: 0, max: 65535 });
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  /** A secret given as 64 hex characters (32 bytes). */
  key32(name: string, fallbackHex: string | undefined): Buffer {
    const value = this.raw(name) ?? fallbackHex;
    if (value === undefined) {
      this.problems.push(`${name} is required (64 hex characters)`);
      return Buffer.alloc(32);
    }
    if (!/^[0-9a-fA-F]{64}$/.test(value)) {
      this.problems.push(`${name} must be 64 hex characters (32 bytes)`);
      return Buffer.alloc(32);
    }
    return Buffer.from(value, 'hex');
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws a ConfigError naming every bad setting seen so far. */
  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }
}
