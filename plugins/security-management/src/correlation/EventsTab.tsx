import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  CorrelationFingerprint,
  CorrelationFiring,
  CorrelationMatchCondition,
  CorrelationRuleSummary,
} from '@open-itsm/plugin-security-management-common';
import { Duration } from 'luxon';
import { AsyncContent } from '../components/AsyncContent';
import { SeverityChip } from '../components/chips';
import { IncidentsTable } from '../components/IncidentsTable';
import { WRAP_STYLE } from '../components/OverflowText';
import { useSecurityData } from '../lib/data';
import { formatDateTime, formatRelative } from '../lib/format';

const FIRINGS_PAGE = 50;

/** One condition of a rule's filter in words: `type = auth.failure`. */
export function describeCondition(
  path: string,
  condition: CorrelationMatchCondition,
): string {
  if (Array.isArray(condition))
    return `${path} is one of ${condition.join(', ')}`;
  if (typeof condition === 'object') {
    return condition.exists ? `${path} is present` : `${path} is absent`;
  }
  return `${path} = ${String(condition)}`;
}

/** An ISO-8601 window in words: `PT10M` is "10 minutes". */
export function describeWindow(window: string): string {
  const duration = Duration.fromISO(window);
  return duration.isValid ? duration.toHuman() : window;
}

function describeFingerprint(fingerprint: CorrelationFingerprint): string {
  return Object.entries(fingerprint)
    .map(([path, value]) => `${path}=${String(value)}`)
    .join(', ');
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

const ruleColumns: TableColumn<CorrelationRuleSummary>[] = [
  {
    title: 'Rule',
    field: 'title',
    render: rule => (
      <>
        <Typography variant="body2">
          <strong>{rule.title}</strong>
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {rule.id}
        </Typography>
        {rule.description && (
          <Typography variant="body2" style={WRAP_STYLE}>
            {rule.description}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Filter',
    sorting: false,
    render: rule => {
      const conditions = Object.entries(rule.match).map(([path, c]) =>
        describeCondition(path, c),
      );
      return (
        <>
          <Typography variant="caption" color="textSecondary">
            {rule.topic ? `Topic ${rule.topic}` : 'Any subscribed topic'}
          </Typography>
          {conditions.length ? (
            conditions.map(condition => (
              <div key={condition} style={WRAP_STYLE}>
                {condition}
              </div>
            ))
          ) : (
            <div>Every event</div>
          )}
        </>
      );
    },
  },
  {
    title: 'Grouped by',
    sorting: false,
    render: rule => (
      <span style={WRAP_STYLE}>
        {[...new Set([...rule.fingerprint, rule.entity])].join(', ')}
      </span>
    ),
  },
  {
    title: 'Opens an incident',
    sorting: false,
    render: rule => (
      <>
        <div>
          {count(rule.threshold, 'event')} within {describeWindow(rule.window)}
        </div>
        <SeverityChip severity={rule.incident.severity} />
      </>
    ),
  },
  {
    title: 'Events kept',
    sorting: false,
    render: ({ counters }) => (
      <>
        <div>{count(counters.matchedEvents, 'matched', 'matched')}</div>
        {counters.missingFields > 0 && (
          <div>
            {count(counters.missingFields, 'lacked fields', 'lacked fields')}
          </div>
        )}
        {counters.unknownEntity > 0 && (
          <div>
            {count(counters.unknownEntity, 'unknown entity', 'unknown entity')}
          </div>
        )}
      </>
    ),
  },
  {
    title: 'Fired',
    sorting: false,
    render: ({ counters }) =>
      counters.firings === undefined ? (
        '—'
      ) : (
        <>
          <div>{count(counters.firings, 'incident')}</div>
          {counters.lastFiredAt && (
            <Typography
              variant="caption"
              title={formatDateTime(counters.lastFiredAt)}
            >
              last {formatRelative(counters.lastFiredAt)}
            </Typography>
          )}
        </>
      ),
  },
];

/** The incident a firing opened, with its details and timeline. */
function FiringIncident(props: { id: string }) {
  const state = useSecurityData(
    api => api.getIncident({ id: props.id }),
    [props.id],
  );
  return (
    <Box p={2}>
      <AsyncContent state={state} action="view this incident">
        {incident => <IncidentsTable incidents={[incident]} />}
      </AsyncContent>
    </Box>
  );
}

const firingColumns: TableColumn<CorrelationFiring>[] = [
  {
    title: 'Fired',
    field: 'firedAt',
    render: firing => (
      <span title={formatDateTime(firing.firedAt)}>
        {formatRelative(firing.firedAt)}
      </span>
    ),
  },
  {
    title: 'Rule',
    field: 'ruleId',
    render: firing => firing.ruleTitle ?? firing.ruleId,
  },
  {
    title: 'Entity',
    field: 'entityRef',
    render: firing => <EntityRefLink entityRef={firing.entityRef} />,
  },
  {
    title: 'Fingerprint',
    sorting: false,
    render: firing => (
      <span style={WRAP_STYLE}>{describeFingerprint(firing.fingerprint)}</span>
    ),
  },
  {
    title: 'Events',
    field: 'eventCount',
    render: firing => (
      <>
        <div>{firing.eventCount.toLocaleString()}</div>
        <Typography
          variant="caption"
          title={formatDateTime(firing.lastEventAt)}
        >
          last {formatRelative(firing.lastEventAt)}
        </Typography>
      </>
    ),
  },
];

function FiringsTable() {
  const [offset, setOffset] = useState(0);
  const state = useSecurityData(
    api => api.listCorrelationFirings({ limit: FIRINGS_PAGE, offset }),
    [offset],
  );
  return (
    <AsyncContent state={state} action="view the incidents the rules opened">
      {page => (
        <>
          <Table<CorrelationFiring>
            title="Incidents opened by the rules"
            columns={firingColumns}
            data={page.items}
            options={{ search: false, paging: false, padding: 'dense' }}
            detailPanel={({ rowData }) => (
              <FiringIncident id={rowData.incidentId} />
            )}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">
                  No rule has opened an incident you may read.
                </Typography>
              </Box>
            }
          />
          {page.totalCount > FIRINGS_PAGE && (
            <Box display="flex" alignItems="center" mt={1} style={{ gap: 8 }}>
              <Typography variant="caption">
                {offset + 1}–{offset + page.items.length} of{' '}
                {page.totalCount.toLocaleString()}
              </Typography>
              <Button
                size="small"
                variant="outlined"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - FIRINGS_PAGE))}
              >
                Newer
              </Button>
              <Button
                size="small"
                variant="outlined"
                disabled={offset + FIRINGS_PAGE >= page.totalCount}
                onClick={() => setOffset(offset + FIRINGS_PAGE)}
              >
                Older
              </Button>
            </Box>
          )}
        </>
      )}
    </AsyncContent>
  );
}

/**
 * Security events: the correlation rules of the backend's configuration
 * with what each matched and fired, and the incidents they opened.
 */
export function EventsTab() {
  const rules = useSecurityData(api => api.listCorrelationRules(), []);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent state={rules} action="view the correlation rules">
          {list => (
            <Table<CorrelationRuleSummary>
              title="Correlation rules"
              subtitle={`Events of ${list.topics.join(
                ', ',
              )}; kept ${describeWindow(
                list.retention,
              )} unless attached to an incident`}
              columns={ruleColumns}
              data={list.items}
              options={{ search: false, paging: false, padding: 'dense' }}
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2">
                    No correlation rule is configured. The security team adds
                    them under securityManagement.correlation.rules in the
                    backend's app-config.
                  </Typography>
                </Box>
              }
            />
          )}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <FiringsTable />
      </Grid>
    </Grid>
  );
}
