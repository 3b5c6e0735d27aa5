import type { Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import { StatementFormatError } from './statement-line';

export interface CsvRecord {
  readonly cells: string[];
  /** 1-based line number in the file where the record starts. */
  readonly line: number;
}

const BATCH = 1_000;

/**
 * A text stream as CSV records (csv-parse, streaming): the files are never held whole. Records come in
 * batches, so a million-line file costs a thousand hand-overs between async steps, not millions. Column
 * counts may vary, because every statement has header, comment or trailer lines shaped unlike its data
 * rows; each parser checks its own rows.
 */
export async function* csvRecords(input: Readable, delimiter = ','): AsyncGenerator<CsvRecord[]> {
  const parser = input.pipe(
    parse({
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      // Each record carries its line, for reports of rows that cannot be read.
      on_record: ((cells: string[], context: { lines: number }): CsvRecord => ({
        cells,
        line: context.lines,
      })) as unknown as Options['on_record'],
    }),
  );
  input.once('error', (err) => parser.destroy(err));
  let batch: CsvRecord[] = [];
  for await (const record of parser as AsyncIterable<CsvRecord>) {
    batch.push(record);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
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
