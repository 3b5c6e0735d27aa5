#!/usr/bin/env node
/**
 * Waits until MariaDB answers on 127.0.0.1 and creates the test database if it is missing.
 *
 *   node scripts/mariadb-ready.js [--wait-s 30] [--database test] [--port 3306]
 *
 * Exit codes: 0 ready (database exists), 1 not answering within the wait, 64 bad arguments.
 * Uses mysql2 (a project dependency) so no MariaDB client binary is needed.
 */
'use strict';

const mysql = require('mysql2/promise');

function parseArgs(argv) {
  const args = { waitS: 30, database: 'test', port: 3306 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[(i += 1)];
    if (flag === '--wait-s') args.waitS = Number(value);
    else if (flag === '--database') args.database = value;
    else if (flag === '--port') args.port = Number(value);
    else {
      process.stderr.write(`mariadb-ready: unknown argument ${flag}\n`);
      process.exit(64);
    }
  }
  if (!/^[A-Za-z0-9_]+$/.test(args.database ?? '')) {
    process.stderr.write('mariadb-ready: --database must be a plain identifier\n');
    process.exit(64);
  }
  return args;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function tryOnce({ port, database }) {
  let connection;
  try {
    connection = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
      connectTimeout: 2000,
    });
    // The name is checked against a plain-identifier pattern above, so it is safe to quote here.
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    if (connection) await connection.end().catch(() => undefined);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + args.waitS * 1000;
  for (;;) {
    const problem = await tryOnce(args);
    if (problem === undefined) return 0;
    if (Date.now() >= deadline) {
      process.stderr.write(`mariadb-ready: 127.0.0.1:${args.port} not ready: ${problem}\n`);
      return 1;
    }
    await sleep(500);
  }
}

main().then((code) => process.exit(code));
