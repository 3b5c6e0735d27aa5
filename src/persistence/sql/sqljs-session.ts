import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '../unit-of-work';
import {
  CommitListeners,
  type ConditionalPlan,
  type SqlSession,
  type SqlStatement,
  type WritePlan,
} from './sql-session';

/**
 * The embedded database: no network, so statements go one by one inside the UnitOfWork's queued
 * transaction (which also writes the file before the commit resolves).
 */
export class SqljsSession implements SqlSession {
  private readonly commits = new CommitListeners();

  constructor(private readonly uow: UnitOfWork) {}

  select<Row>(statement: SqlStatement): Promise<Row[]> {
    return this.uow.read((m) => m.query<Row[]>(statement.sql, [...statement.params]));
  }

  async write(plan: WritePlan): Promise<void> {
    await this.uow.run(async (m) => {
      for (const { statement, onMiss } of plan.guarded ?? []) {
        if ((await execute(m, statement)) !== 1) throw onMiss();
      }
      for (const statement of plan.writes) await execute(m, statement);
    });
    this.commits.committed(plan);
  }

  async writeIf<Row>(plan: ConditionalPlan): Promise<{ written: boolean; rows: Row[] }> {
    const written = await this.uow.run(async (m) => {
      const [row] = await m.query<Array<Record<string, unknown>>>(plan.condition.sql, [...plan.condition.params]);
      if (Number(Object.values(row ?? {})[0]) !== 1) return false;
      for (const statement of plan.writes) await execute(m, statement);
      return true;
    });
    if (written) this.commits.committed({ writes: plan.writes });
    return { written, rows: await this.select<Row>(plan.thenRead) };
  }

  onCommit(listener: (plan: WritePlan) => void): () => void {
    return this.commits.add(listener);
  }
}

async function execute(manager: EntityManager, statement: SqlStatement): Promise<number | undefined> {
  const result = (await manager.queryRunner!.query(statement.sql, [...statement.params], true)) as {
    affected?: number;
  };
  return result.affected;
}
