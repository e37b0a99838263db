// The benchmarks' shared options (listed in run.ts).

/** The databases a benchmark runs on. */
export type DbId = 'sqlite' | 'pg';

/** What every benchmark is given. */
export interface Options {
  sizes: number[];
  duration: number;
  dbs: DbId[];
  connections: number;
  recordsPerPair: number;
  dbIterations: number;
  pgUrl: string;
}

/** Reads the options from the arguments, else the environment, else the defaults. */
export function readOptions(): Options {
  const args = process.argv.slice(2);
  const arg = (name: string, env: string, fallback: string) => {
    const index = args.indexOf(`--${name}`);
    if (index >= 0 && args[index + 1] !== undefined) return args[index + 1];
    return process.env[env] ?? fallback;
  };
  const dbs = arg('db', 'BENCH_DB', 'sqlite,pg')
    .split(',')
    .map(s => s.trim());
  for (const db of dbs) {
    if (db !== 'sqlite' && db !== 'pg') {
      throw new Error(`--db takes sqlite and/or pg, not '${db}'`);
    }
  }
  return {
    sizes: arg('sizes', 'BENCH_SIZES', '1000,10000').split(',').map(Number),
    duration: Number(arg('duration', 'BENCH_DURATION', '5')),
    dbs: dbs as DbId[],
    connections: Number(arg('connections', 'BENCH_CONNECTIONS', '16')),
    recordsPerPair: Number(
      arg('records-per-pair', 'BENCH_RECORDS_PER_PAIR', '10'),
    ),
    dbIterations: Number(arg('db-iterations', 'BENCH_DB_ITERATIONS', '500')),
    pgUrl: arg(
      'pg-url',
      'BENCH_PG_URL',
      'postgresql://postgres@127.0.0.1:5432',
    ),
  };
}
