import { InputError, NotFoundError } from '@backstage/errors';
import { mkdtempSync, rmSync } from 'fs';
import knexFactory, { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import { isDatabaseUnavailable } from './databaseErrors';

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('isDatabaseUnavailable', () => {
  const clients: Knex[] = [];
  afterAll(() => Promise.all(clients.map(client => client.destroy())));

  function sqlite(options: Partial<Knex.Config> = {}): Knex {
    const client = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
      ...options,
    });
    clients.push(client);
    return client;
  }

  it('is true for a PostgreSQL server that refuses the connection, whose error names host and port', async () => {
    const client = knexFactory({
      client: 'pg',
      connection: { host: '127.0.0.1', port: 1, user: 'nobody' },
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 5000,
    });
    clients.push(client);
    const error = await failure(client.raw('select 1'));
    expect(String(error)).toContain('127.0.0.1');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is true for an exhausted pool', async () => {
    const client = sqlite({
      pool: { min: 1, max: 1 },
      acquireConnectionTimeout: 50,
    });
    const tx = await client.transaction();
    const error = await failure(client.raw('select 1'));
    await tx.rollback();
    expect((error as Error).name).toBe('KnexTimeoutError');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is true for a destroyed client', async () => {
    const client = sqlite();
    await client.raw('select 1');
    await client.destroy();
    expect(isDatabaseUnavailable(await failure(client.raw('select 1')))).toBe(
      true,
    );
  });

  it('is true for a busy SQLite database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secmgmt-busy-'));
    try {
      const file = join(dir, 'db.sqlite');
      // One connection each, so the PRAGMA and the lock stay on them.
      const holder = sqlite({
        connection: { filename: file },
        pool: { max: 1 },
      });
      const waiter = sqlite({
        connection: { filename: file },
        pool: { max: 1 },
      });
      await holder.raw('CREATE TABLE t (x INTEGER)');
      await waiter.raw('PRAGMA busy_timeout = 0');
      await holder.raw('BEGIN EXCLUSIVE');
      const error = await failure(waiter.raw('INSERT INTO t VALUES (1)'));
      await holder.raw('ROLLBACK');
      await holder.destroy();
      await waiter.destroy();
      expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'a PostgreSQL shutdown',
      {
        code: '57P01',
        message: 'terminating connection due to administrator command',
      },
    ],
    [
      'a connection exception',
      { code: '08006', message: 'connection failure' },
    ],
    [
      'too many connections',
      { code: '53300', message: 'sorry, too many clients already' },
    ],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    [
      'a wrapped cause',
      new Error('query failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED ::1:5432'), {
          code: 'ECONNREFUSED',
        }),
      }),
    ],
    [
      'every address refusing',
      new AggregateError([
        Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      ]),
    ],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is false for errors that are the request or the code, not the database', async () => {
    const client = sqlite();
    const syntax = await failure(client.raw('selec 1'));
    await client.raw('create table u (id text primary key)');
    await client('u').insert({ id: 'a' });
    const duplicate = await failure(client('u').insert({ id: 'a' }));
    for (const error of [
      syntax,
      duplicate,
      new InputError('bad'),
      new NotFoundError('gone'),
      new TypeError('x is undefined'),
      {
        code: '22021',
        message: 'invalid byte sequence for encoding "UTF8": 0x00',
      },
      undefined,
      'a string',
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});
