import { IdTable } from './id-table';

describe('IdTable', () => {
  it('numbers ids in the order first seen, finds them again past every growth, and gives them back', () => {
    const table = new IdTable();
    const ids = Array.from({ length: 70_000 }, (_, i) => `2026120510${String(i).padStart(8, '0')}PAYMENT`);
    ids.push('', 'ü-and-€', 'x'.repeat(300));
    ids.forEach((id, i) => expect(table.slot(id)).toBe(i));
    expect(table.size).toBe(ids.length);
    ids.forEach((id, i) => expect(table.slot(id)).toBe(i));
    expect(table.size).toBe(ids.length);
    expect(ids.every((id, i) => table.idOf(i) === id)).toBe(true);
    // Ids that differ in their last byte only are different ids.
    expect(table.slot('202612051000000000PAYMENU')).toBe(ids.length);
  });
});
