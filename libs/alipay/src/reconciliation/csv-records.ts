import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { StatementFormatError } from './statement-line';

export interface CsvRecord {
  readonly cells: string[];
  /** 1-based line number in the file where the record starts. */
  readonly line: number;
}

/**
 * A text stream as CSV records, one at a time (csv-parse, streaming): the files are never held whole.
 * Column counts may vary, because every statement has header, comment or trailer lines shaped unlike its
 * data rows; each parser checks its own rows.
 */
export async function* csvRecords(input: Readable, delimiter = ','): AsyncGenerator<CsvRecord> {
  const parser = input.pipe(
    parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
    }),
  );
  input.once('error', (err) => parser.destroy(err));
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield { cells: record, line: info.lines };
  }
}

/** Header name -> index; names are trimmed, so Excel's `\t` suffixes do not matter. */
export function headerIndex(cells: readonly string[]): Map<string, number> {
  return new Map(cells.map((name, i) => [name.trim(), i]));
}

/** The trimmed cell under `name`, or '' when the row is shorter or the column is absent. */
export function cell(cells: readonly string[], header: Map<string, number>, name: string): string {
  const i = header.get(name);
  return i === undefined ? '' : (cells[i] ?? '').trim();
}

export function requireColumns(header: Map<string, number>, names: readonly string[], file: string): void {
  const missing = names.filter((n) => !header.has(n));
  if (missing.length > 0) {
    throw new StatementFormatError(`${file}: header lacks ${missing.join(', ')}`);
  }
}
