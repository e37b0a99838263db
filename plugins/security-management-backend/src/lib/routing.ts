import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { SECURITY_MANAGEMENT_ROUTES as ROUTES } from '@open-itsm/plugin-security-management-common';
import express, { Request, RequestHandler } from 'express';
import Router from 'express-promise-router';
import { loadOpenApiDocument } from '../schema/openapiDocument';
import { audited } from './audit';
import { SecurityAuthorizer } from './authorization';

/** Largest request body accepted; a full batch of records fits easily. */
const MAX_BODY_SIZE = '5mb';

class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/**
 * JSON body parsing whose failures are errors the Backstage error handler
 * answers with the right status and a readable message.
 */
function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (!error) {
        next();
        return;
      }
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        next(
          new PayloadTooLargeError(
            `Request body is larger than ${limit}; send fewer records per batch`,
          ),
        );
      } else if (type === 'entity.parse.failed') {
        next(
          new InputError(
            `Request body is not valid JSON: ${(error as Error).message}`,
          ),
        );
      } else {
        next(error);
      }
    });
  };
}

/** A caller of the API: a user or a service. */
export type Principal = BackstageUserPrincipal | BackstageServicePrincipal;

/** Who acts: a user's entity ref, or a service principal's subject. */
export function principalRef(
  credentials: BackstageCredentials<Principal>,
): string {
  const { principal } = credentials;
  return principal.type === 'user'
    ? principal.userEntityRef
    : principal.subject;
}

/** What the routes of every folder share to serve a request. */
export interface RouteContext {
  authorizer: SecurityAuthorizer;
  /** The caller's credentials; users and services may call. */
  credentials: (req: Request) => Promise<BackstageCredentials<Principal>>;
  /** Runs a change as an auditor event named after it. */
  audit: <T>(
    req: Request,
    change: {
      eventId: string;
      severityLevel: AuditorServiceEventSeverityLevel;
      meta?: JsonObject;
      run: () => Promise<T>;
      describe: (result: T) => JsonObject;
    },
  ) => Promise<T>;
}

/**
 * The plugin's router with JSON body parsing, `/health` and the OpenAPI
 * document, and the context every folder's routes are registered with.
 */
export function createSecurityRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}): { router: express.Router; context: RouteContext } {
  const { httpAuth, permissions, auditor, logger } = options;
  const context: RouteContext = {
    authorizer: new SecurityAuthorizer({ permissions, logger }),
    credentials: req =>
      httpAuth.credentials(req, { allow: ['user', 'service'] }),
    audit: (req, change) => {
      const { run, describe, ...event } = change;
      return audited({
        auditor,
        event: { ...event, request: req },
        run,
        describe,
      });
    },
  };

  const router = Router();
  router.use(jsonBody(MAX_BODY_SIZE));

  router.get(ROUTES.health, (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get(ROUTES.openapi, async (req, res) => {
    await context.credentials(req);
    res.json(await loadOpenApiDocument());
  });

  return { router, context };
}
