import { ResponseError } from '@backstage/errors';
import {
  OperationRequest,
  OperationResponse,
  RouteContract,
  SecurityManagementOperation,
  securityManagementRoutes,
} from './routes';

type QueryValue =
  | string
  | number
  | boolean
  | Array<string | number>
  | undefined;

/** Repeats a key for each value of an array: `status=a&status=b`. */
function toSearch(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The path of a route with its `:params` filled in and encoded. */
function toPath(route: RouteContract, params: Record<string, string> = {}) {
  return route.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
}

/** Options of {@link createSecurityManagementCaller}. @public */
export interface SecurityManagementCallerOptions {
  /** The plugin's base URL, e.g. from Backstage's discovery API. */
  baseUrl: () => Promise<string>;
  /** A fetch that adds the caller's token. */
  fetch: typeof fetch;
}

/** A typed call of one operation of the REST API. @public */
export type SecurityManagementCaller = <O extends SecurityManagementOperation>(
  operation: O,
  request: OperationRequest<O>,
) => Promise<OperationResponse<O>>;

/** The address of an operation, for links that download with their own token. @public */
export function operationUrl<O extends SecurityManagementOperation>(
  baseUrl: string,
  operation: O,
  request: OperationRequest<O>,
): string {
  const route: RouteContract = securityManagementRoutes[operation];
  const { params, query } = request as {
    params?: Record<string, string>;
    query?: Record<string, QueryValue>;
  };
  return `${baseUrl}${toPath(route, params)}${toSearch(query)}`;
}

/**
 * Sends one operation of the REST API as its route says (method, path,
 * query, JSON body) and returns the response; a refused request rejects with
 * a `ResponseError`.
 *
 * @public
 */
export async function fetchOperation<O extends SecurityManagementOperation>(
  options: SecurityManagementCallerOptions,
  operation: O,
  request: OperationRequest<O>,
): Promise<Response> {
  const route: RouteContract = securityManagementRoutes[operation];
  const { body } = request as { body?: unknown };
  const url = operationUrl(await options.baseUrl(), operation, request);
  const response = await options.fetch(url, {
    method: route.method.toUpperCase(),
    ...(body === undefined
      ? {}
      : {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
  });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return response;
}

/**
 * A caller of the REST API driven by the route table: every operation's
 * method, path, request and answer types come from the contract.
 *
 * @public
 */
export function createSecurityManagementCaller(
  options: SecurityManagementCallerOptions,
): SecurityManagementCaller {
  return async (operation, request) =>
    (await fetchOperation(options, operation, request)).json();
}
