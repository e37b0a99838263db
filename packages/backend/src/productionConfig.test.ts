import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import { JsonObject } from '@backstage/types';
import express from 'express';
import path from 'node:path';
import request from 'supertest';

const root = path.resolve(__dirname, '../../..');
const DEV_TOKEN = 'dev-only-ci-token-change-me';
const SECRET = 'a-production-secret-from-the-environment';

jest.setTimeout(30_000);

/** The app-config files as Backstage merges them, with this environment. */
async function loadAppConfig(files: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const { appConfigs } = await loadConfig({
      configRoot: root,
      configTargets: files.map(file => ({ path: path.join(root, file) })),
    });
    return ConfigReader.fromConfigs(appConfigs);
  } finally {
    process.env = saved;
  }
}

/** A plugin with the security plugin's id that says who called it. */
const whoAmI = createBackendPlugin({
  pluginId: 'security-management',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/whoami', async (req, res) => {
          const { principal } = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          res.json({ subject: principal.subject });
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Starts a backend with Backstage's real token checks and this config's external access. */
async function backendWith(config: ConfigReader) {
  return startTestBackend({
    features: [
      whoAmI,
      authServiceFactory,
      httpAuthServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            auth: config.getConfig('backend.auth').get() as JsonObject,
          },
        },
      }),
    ],
  });
}

function callAs(server: Parameters<typeof request>[0], token: string) {
  return request(server)
    .get('/api/security-management/whoami')
    .set('Authorization', `Bearer ${token}`);
}

const env = {
  POSTGRES_HOST: 'db',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
};

describe('the production configuration', () => {
  it('refuses the public development CI token and accepts the one from SECURITY_CI_TOKEN', async () => {
    const config = await loadAppConfig(
      ['app-config.yaml', 'app-config.production.yaml'],
      { ...env, SECURITY_CI_TOKEN: SECRET },
    );
    const backend = await backendWith(config);
    try {
      expect((await callAs(backend.server, DEV_TOKEN)).status).toBe(401);
      const ci = await callAs(backend.server, SECRET);
      expect(ci.status).toBe(200);
      expect(ci.body).toEqual({ subject: 'ci-pipeline' });
    } finally {
      await backend.stop();
    }
  });

  it('turns the demo seeder off', async () => {
    const config = await loadAppConfig(
      ['app-config.yaml', 'app-config.production.yaml'],
      { ...env, SECURITY_CI_TOKEN: SECRET },
    );
    expect(config.getOptionalBoolean('securityManagementDemo.seed')).toBe(
      false,
    );
  });

  it('keeps the development token working for local development only', async () => {
    const config = await loadAppConfig(['app-config.yaml'], {});
    const backend = await backendWith(config);
    try {
      expect((await callAs(backend.server, DEV_TOKEN)).status).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});
