import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { DbId, Options } from './options';

/** A fresh, empty database for one benchmark run, dropped by dispose(). */
export interface BenchDatabase {
  knex: Knex;
  label: string;
  dispose(): Promise<void>;
}

/** Opens a new SQLite file or creates a new PostgreSQL database. */
export async function openDatabase(
  db: DbId,
  size: number,
  options: Pick<Options, 'pgUrl'>,
): Promise<BenchDatabase> {
  const stamp = `${Date.now()}_${size}`;
  if (db === 'sqlite') {
    const filename = join(tmpdir(), `secmgmt_bench_${stamp}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    return {
      knex,
      label: 'SQLite (file)',
      async dispose() {
        await knex.destroy();
        for (const suffix of ['', '-wal', '-shm', '-journal']) {
          rmSync(`${filename}${suffix}`, { force: true });
        }
      },
    };
  }
  const name = `secmgmt_bench_${stamp}`;
  const admin = knexFactory({
    client: 'pg',
    connection: `${options.pgUrl}/postgres`,
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  const knex = knexFactory({
    client: 'pg',
    connection: `${options.pgUrl}/${name}`,
  });
  return {
    knex,
    label: 'PostgreSQL',
    async dispose() {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    },
  };
}
