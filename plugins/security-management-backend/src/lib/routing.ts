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
import {
  CustomErrorBase,
  InputError,
  ServiceUnavailableError,
  toError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  OperationBody,
  OperationParams,
  OperationQuery,
  RouteContract,
  SecurityManagementOperation,
  securityManagementRoutes,
} from '@open-itsm/plugin-security-management-common';
import express, { Request, RequestHandler } from 'express';
import Router from 'express-promise-router';
import { loadOpenApiDocument } from '../schema/openapiDocument';
import { audited } from './audit';
import { SecurityAuthorizer } from './authorization';
import { isDatabaseUnavailable } from './databaseErrors';
import { parseRequestPart, RequestPart } from './validation';

/** Largest request body accepted; a full batch of records fits easily. */
const MAX_BODY_SIZE = '5mb';

class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/**
 * JSON body parsing whose failures are errors the Backstage error handler
 * answers with the right status and a readable message. A body that is not
 * JSON is a 415 that says so, rather than an empty body's 400.
 */
function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    const contentType = req.headers['content-type'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is('application/json')) {
      next(
        new UnsupportedMediaTypeError(
          `Request body must be JSON (Content-Type: application/json), not ${
            contentType ? `'${contentType}'` : 'untyped'
          }`,
        ),
      );
      return;
    }
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

/** The logger of each router made by {@link createSecurityRouter}. */
const routerLoggers = new WeakMap<express.Router, LoggerService>();

/**
 * Runs a handler; a database that cannot be reached (or a dependency's
 * connection that fails) is a 503 with a generic message. The driver's
 * error names the host, the port and the SQL, so it goes to the log only.
 */
async function unlessUnavailable(
  run: () => Promise<void> | void,
  logger: LoggerService | undefined,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logger?.warn(
      'Security Management could not reach its database',
      toError(error),
    );
    throw new ServiceUnavailableError(
      'Security Management is temporarily unavailable: its database cannot be reached. Try again later.',
    );
  }
}

/**
 * The input of an operation, parsed with the contract's schemas when the
 * handler asks for it (so that permission checks can come first).
 */
export interface OperationInput<O extends SecurityManagementOperation> {
  params(): OperationParams<O>;
  query(): OperationQuery<O>;
  body(): OperationBody<O>;
}

/**
 * Registers the handler of one operation of the contract, at the method and
 * path the route table gives it.
 */
export function handle<O extends SecurityManagementOperation>(
  router: express.Router,
  operation: O,
  handler: (
    req: Request,
    res: express.Response,
    input: OperationInput<O>,
  ) => Promise<void> | void,
): void {
  const route: RouteContract = securityManagementRoutes[operation];
  const parse = (
    schema: RouteContract['body'],
    value: unknown,
    where: RequestPart,
  ) => {
    if (!schema) throw new Error(`${operation} takes no ${where}`);
    return parseRequestPart(schema, value, where);
  };
  router[route.method](route.path, (req, res) =>
    unlessUnavailable(
      () =>
        // The parsers are the operation's own schemas, so their outputs are
        // the operation's types.
        handler(req, res, {
          params: () =>
            parse(
              route.params,
              req.params,
              'path parameters',
            ) as OperationParams<O>,
          query: () =>
            parse(
              route.query,
              req.query,
              'query parameters',
            ) as OperationQuery<O>,
          body: () =>
            parse(route.body, req.body, 'request body') as OperationBody<O>,
        }),
      routerLoggers.get(router),
    ),
  );
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
  routerLoggers.set(router, logger);
  router.use(jsonBody(MAX_BODY_SIZE));

  handle(router, 'getHealth', (_req, res) => {
    res.json({ status: 'ok' });
  });

  handle(router, 'getOpenApiDocument', async (req, res) => {
    await context.credentials(req);
    res.json(await loadOpenApiDocument());
  });

  return { router, context };
}
