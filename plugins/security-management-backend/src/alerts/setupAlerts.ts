import { CapabilityOptions } from '../lib/capability';
import { AffectedEntities } from './AffectedEntities';
import { AlertService } from './AlertService';
import { DatabaseAlertStore } from './DatabaseAlertStore';
import { registerAlertRoutes } from './routes';

/**
 * Security alerts: raised by a manager or a rule, shown on every affected
 * entity until resolved or expired. Returns the service through which other
 * capabilities' rules raise alerts.
 */
export async function setupAlerts(
  options: CapabilityOptions,
): Promise<{ alerts: AlertService }> {
  const store = await DatabaseAlertStore.create({
    database: options.database,
  });
  const alerts = new AlertService({
    store,
    entities: new AffectedEntities({
      catalog: options.catalog,
      auth: options.auth,
    }),
    auditor: options.auditor,
  });
  registerAlertRoutes(options.router, {
    context: options.context,
    store,
    service: alerts,
  });
  return { alerts };
}
