import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import securityManagementPlugin from '../src';

/** The plugin served over HTTP on a benchmark's database. */
export interface BenchBackend {
  /** The server's address, `http://127.0.0.1:<port>`. */
  base: string;
  /** The authorization header of the signed-in user the requests come from. */
  authorization: string;
  stop(): Promise<void>;
}

/**
 * Starts the plugin on `knex`, which the benchmark has already filled: every
 * permission allowed, warnings only, an empty catalog and no scheduled work
 * on startup, so that nothing but the measured requests touches the data.
 */
export async function startBenchBackend(options: {
  knex: Knex;
}): Promise<BenchBackend> {
  const backend = await startTestBackend({
    features: [
      securityManagementPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootLogger.factory({ level: 'warn' }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  return {
    base: `http://127.0.0.1:${backend.server.port()}`,
    authorization: mockCredentials.user.header('user:default/bench'),
    stop: () => backend.stop(),
  };
}
