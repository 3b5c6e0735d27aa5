/** A tiny `--name value` / `--flag` parser: the POS CLI needs nothing more, and no dependency. */
export interface ParsedArgs {
  command?: string;
  options: Map<string, string | true>;
}

export class PosUsageError extends Error {
  readonly code = 'POS.USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'PosUsageError';
  }
}

export function parseArgs(argv: readonly string[], flags: ReadonlySet<string>): ParsedArgs {
  const options = new Map<string, string | true>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq > 0) options.set(name, arg.slice(eq + 1));
      else if (flags.has(name)) options.set(name, true);
      else {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new PosUsageError(`--${name} needs a value`);
        options.set(name, value);
        i += 1;
      }
    } else if (command === undefined) {
      command = arg;
    } else {
      throw new PosUsageError(`unexpected argument "${arg}"`);
    }
  }
  return { command, options };
}

export function stringOption(args: ParsedArgs, name: string, fallback?: string): string {
  const value = args.options.get(name);
  if (value === true) throw new PosUsageError(`--${name} needs a value`);
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  throw new PosUsageError(`--${name} is required`);
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  if (value === true) throw new PosUsageError(`--${name} needs a value`);
  return value;
}

export function integerOption(args: ParsedArgs, name: string, fallback?: number): number {
  const raw = optionalString(args, name);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new PosUsageError(`--${name} is required`);
  }
  if (!/^\d+$/.test(raw)) throw new PosUsageError(`--${name} must be a non-negative integer`);
  return Number(raw);
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}
