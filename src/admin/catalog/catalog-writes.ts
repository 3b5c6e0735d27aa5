/** What merchant and terminal writes share: one transaction for the row change and its audit entry. */
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { AuditTrail } from '../audit/audit-trail';
import { decodeCursor, pageOf, type Page } from '../http/paging';
import { notFound } from '../http/problem';
import type { AdminActor } from '../keys/roles';

export interface CatalogTable<Row, View> {
  entity: new () => Row;
  /** The primary key's property and column. */
  key: keyof Row & string;
  column: string;
  kind: string;
  view(row: Row): View;
}

export class CatalogWrites<Row extends object, View extends object> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly table: CatalogTable<Row, View>,
  ) {}

  async list(limit: number, cursor: unknown, where: Partial<Record<string, string>> = {}): Promise<Page<View>> {
    const after = decodeCursor(cursor, 1);
    const found = await this.uow.read((m) => {
      const q = m.createQueryBuilder(this.table.entity, 'r');
      for (const [column, value] of Object.entries(where)) if (value !== undefined) q.andWhere(`r.${column} = :${column}`, { [column]: value });
      if (after) q.andWhere(`r.${this.table.column} > :after`, { after: after[0] });
      return q.orderBy(`r.${this.table.column}`, 'ASC').take(limit + 1).getMany();
    });
    return pageOf(found, limit, (r) => this.table.view(r), (r) => [String(r[this.table.key])]);
  }

  async get(id: string): Promise<View> {
    return this.table.view(await this.uow.read((m) => this.load(m, id)));
  }

  async load(manager: EntityManager, id: string): Promise<Row> {
    const row = await manager.findOneBy(this.table.entity, { [this.table.key]: id } as never);
    if (!row) throw notFound(`no ${this.table.kind} ${id}`);
    return row;
  }

  /**
   * Loads the row, lets `change` check and write it, and audits before and after, in one transaction.
   * `change` returns the row as it is now, or undefined when it deleted it.
   */
  async write(id: string, action: string, actor: AdminActor, change: (manager: EntityManager, row: Row) => Promise<Row | undefined>): Promise<View | undefined> {
    return this.uow.run(async (m) => {
      const row = await this.load(m, id);
      const before = this.table.view(row);
      const changed = await change(m, row);
      const after = changed ? this.table.view(changed) : undefined;
      await this.audit.append(m, actor, { action, targetType: this.table.kind, targetId: id, before, ...(after ? { after } : {}) });
      return after;
    });
  }

  async insert(id: string, action: string, actor: AdminActor, create: (manager: EntityManager) => Promise<Row>): Promise<View> {
    return this.uow.run(async (m) => {
      const view = this.table.view(await create(m));
      await this.audit.append(m, actor, { action, targetType: this.table.kind, targetId: id, after: view });
      return view;
    });
  }
}
