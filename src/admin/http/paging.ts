/**
 * Cursor paging for every list: `limit` (1-200, default 50) and an opaque `nextCursor` that names the last
 * row returned, so pages stay stable while rows are added (keyset paging, never OFFSET).
 */
import { badRequest } from './problem';

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export function pageLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw badRequest(`limit must be an integer from 1 to ${MAX_PAGE}`, ['limit']);
  return limit;
}

export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position a cursor names, or undefined for the first page; a cursor not made here is a 400. */
export function decodeCursor(raw: unknown, arity: number): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const position: unknown = JSON.parse(Buffer.from(typeof raw === 'string' ? raw : '', 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === arity && position.every((p) => typeof p === 'string' || typeof p === 'number'))
      return position.map(String);
  } catch {
    // falls through to the refusal
  }
  throw badRequest('cursor is not one this API handed out', ['cursor']);
}

/** Rows were read with limit + 1: the extra one only says whether a next page exists. */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  view: (row: R) => T,
  positionOf: (row: R) => readonly (string | number)[],
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

/** A newest-first list keyed by a numeric id: the rows before the cursor's id, limit + 1 of them. */
export async function pageByDescendingId<T extends { id: string }>(
  query: { limit?: unknown; cursor?: unknown },
  read: (window: { limit: number; beforeId?: number }) => Promise<T[]>,
): Promise<Page<T>> {
  const limit = pageLimit(query.limit);
  const after = decodeCursor(query.cursor, 1);
  const rows = await read({ limit: limit + 1, ...(after ? { beforeId: Number(after[0]) } : {}) });
  return pageOf(rows, limit, (r) => r, (r) => [r.id]);
}
