import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import Alert, { Color } from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  AlertSeverity,
  SecurityAlert,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { isForbidden } from '../lib/errors';
import { formatDateTime, formatRelative, humanize } from '../lib/format';

/** How loudly each severity is shown. */
const ALERT_COLOR: Record<AlertSeverity, Color> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** Who raised an alert: a person (linked), a rule, or a service. */
export function RaisedBy(props: { alert: SecurityAlert }) {
  const { alert } = props;
  if (alert.source === 'rule') return <>the rule {alert.ruleId}</>;
  if (alert.raisedBy.startsWith('user:')) {
    return <EntityRefLink entityRef={alert.raisedBy} defaultKind="user" />;
  }
  return <>{alert.raisedBy}</>;
}

/** One alert as a banner: what is happening, what to do, who and until when. */
export function SecurityAlertBanner(props: { alert: SecurityAlert }) {
  const { alert } = props;
  return (
    <Alert
      severity={ALERT_COLOR[alert.severity]}
      aria-label={`Security alert: ${alert.title}`}
    >
      <AlertTitle>
        {humanize(alert.severity)} security alert: {alert.title}
      </AlertTitle>
      <Typography variant="body2" gutterBottom>
        {alert.description}
      </Typography>
      <Typography variant="body2" gutterBottom>
        <strong>Precautions:</strong> {alert.precautions}
      </Typography>
      <Typography variant="caption" component="p">
        Raised by <RaisedBy alert={alert} /> {formatRelative(alert.raisedAt)}
        {alert.expiresAt
          ? `; expires ${formatDateTime(alert.expiresAt)}`
          : '; until resolved'}
      </Typography>
    </Alert>
  );
}

/**
 * The active security alerts affecting the current entity, each as a
 * prominent banner, most severe first. Renders nothing while loading, when
 * there is none, or for a viewer who may not read them; a failure to load
 * is one quiet line, so that the page around it still works.
 *
 * @public
 */
export function EntitySecurityAlertBanner() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const state = useSecurityData(
    api => api.listEntityAlerts({ entityRef }),
    [entityRef],
  );
  if (state.error) {
    if (isForbidden(state.error)) return null;
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        Security alerts for this entity could not be loaded.{' '}
        <Link component="button" variant="caption" onClick={state.retry}>
          Retry
        </Link>
      </Typography>
    );
  }
  const alerts = state.value?.items ?? [];
  if (alerts.length === 0) return null;
  return (
    <Box
      display="flex"
      flexDirection="column"
      style={{ gap: 8 }}
      role="region"
      aria-label="Security alerts"
    >
      {alerts.map(alert => (
        <SecurityAlertBanner key={alert.id} alert={alert} />
      ))}
    </Box>
  );
}
