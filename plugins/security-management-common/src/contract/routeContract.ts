import { z } from 'zod';

/** An error status a route may answer with (the Backstage error body). @public */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;

/**
 * One route of the REST API: where it is, what it takes and what it answers.
 * `responses` maps each success status to the schema of its JSON body.
 *
 * @public
 */
export interface RouteContract {
  method: 'get' | 'post' | 'put' | 'patch';
  /** Express-style path relative to the plugin's base URL (`/incidents/:id`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the route checks, for the docs. */
  permission?: string;
  /** Whether the route needs no token (only `/health`). */
  unauthenticated?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Partial<Record<200 | 201, z.ZodType>>;
  /** Whether the 200 answer may also be CSV (`format=csv`). */
  csv?: boolean;
  /**
   * Error statuses beyond 400 (bad input), 401, 403 and 503 (the database
   * cannot be reached), which apply to all.
   */
  errors?: ErrorStatus[];
}
