/*
 * The entry of `yarn bench`: reads the options and runs one benchmark, the
 * posture benchmark (bench/posture.ts) unless `--only` (or BENCH_ONLY) names
 * another: advisories, campaigns, correlation, history, notifications or
 * review-triggers. Not part of the test suite.
 *
 *   yarn bench --sizes 1000,10000 --duration 5 --db sqlite,pg
 *   yarn bench --only history --sizes 10000 --db sqlite,pg
 *
 * Options (or env BENCH_SIZES, BENCH_DURATION, BENCH_DB, BENCH_CONNECTIONS,
 * BENCH_RECORDS_PER_PAIR, BENCH_DB_ITERATIONS, BENCH_PG_URL); the other
 * benchmarks' own are in their files.
 */
import { benchAdvisories } from './advisories';
import { benchCampaigns } from './campaigns';
import { benchCorrelation } from './correlation';
import { openDatabase } from './database';
import { benchHistory } from './history';
import { load } from './load';
import { benchNotifications } from './notifications';
import { readOptions } from './options';
import { benchPosture } from './posture';
import { benchReviewTriggers } from './reviewTriggers';

async function main() {
  const options = readOptions();
  const args = process.argv.slice(2);
  const only = args.includes('--only')
    ? args[args.indexOf('--only') + 1]
    : process.env.BENCH_ONLY;
  if (only === 'correlation') {
    await benchCorrelation(options);
    return;
  }
  if (only === 'notifications') {
    await benchNotifications({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
    });
    return;
  }
  if (only === 'review-triggers') {
    await benchReviewTriggers({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
    });
    return;
  }
  if (only === 'campaigns') {
    await benchCampaigns({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
    });
    return;
  }
  if (only === 'history') {
    await benchHistory({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
      load,
    });
    return;
  }
  if (only === 'advisories') {
    await benchAdvisories({
      ...options,
      openDatabase: (db, size) => openDatabase(db, size, options),
      load,
    });
    return;
  }
  await benchPosture(options);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
