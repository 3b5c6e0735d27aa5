import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../unit-of-work';
import { MysqlSession } from './mysql-session';
import type { SqlSession } from './sql-session';
import { SqljsSession } from './sqljs-session';

export * from './sql-session';
export * from './sql-values';

export function openSqlSession(dataSource: DataSource, uow: UnitOfWork): SqlSession {
  return dataSource.options.type === 'mysql' ? new MysqlSession(dataSource) : new SqljsSession(uow);
}
export * from './select-records';
export * from './insert-rows';
export * from './record-table';
