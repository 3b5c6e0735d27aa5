import * as mysql2 from 'mysql2';

/**
 * mysql2 as TypeORM's MySQL driver, with `SET SESSION sql_mode` sent on every new pooled connection. The
 * pool emits 'connection' before it hands the connection out, and a connection runs its commands in order,
 * so nothing the switch sends can run before the mode is set.
 */
export function mysqlDriverWithSessionMode(sqlMode: string): typeof mysql2 {
  const driver: typeof mysql2 = Object.create(mysql2) as typeof mysql2;
  Object.defineProperty(driver, 'createPool', {
    enumerable: true,
    value: (options: mysql2.PoolOptions) => {
      const pool = mysql2.createPool(options);
      pool.on('connection', (connection) => {
        connection.query('SET SESSION sql_mode = ?', [sqlMode], (err) => {
          // A connection whose mode could not be set is never used: the next command on it fails too.
          if (err) connection.destroy();
        });
      });
      return pool;
    },
  });
  return driver;
}
