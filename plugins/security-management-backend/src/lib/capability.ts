import {
  AuditorService,
  AuthService,
  DatabaseService,
  LifecycleService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import express from 'express';
import { SecurityStores } from '../database';
import { IncidentService } from '../incidents/IncidentService';
import { OwnerNotifier } from '../notifications/OwnerNotifier';
import { RouteContext } from './routing';

/**
 * What a capability of the backend (advisories, alerts, correlation) is set
 * up with: the router and its context, the shared stores and services, and
 * the Backstage services it may use. Each capability creates its own stores
 * on the plugin's one database, schedules its own work and registers its
 * own routes.
 */
export interface CapabilityOptions {
  router: express.Router;
  context: RouteContext;
  database: DatabaseService;
  stores: SecurityStores;
  incidentService: IncidentService;
  urlReader: UrlReaderService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  logger: LoggerService;
  config: RootConfigService;
  events: EventsService;
  /** For stopping what a capability started (worker threads) on shutdown. */
  lifecycle: LifecycleService;
  /** Notifies the owners of entities once per key (src/notifications). */
  notifier: OwnerNotifier;
}
