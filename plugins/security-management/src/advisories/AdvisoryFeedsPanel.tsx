import { useState } from 'react';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  AdvisoryFeed,
  AdvisoryRefreshResult,
  ComponentSource,
  securityAdvisoryManagePermission,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { AsyncContent } from '../components/AsyncContent';
import { Tone, ToneChip } from '../components/chips';
import { OverflowText } from '../components/OverflowText';
import { useRefreshSecurityData, useSecurityData } from '../lib/data';
import { serverMessage } from '../lib/errors';
import { formatDateTime, formatRelative } from '../lib/format';
import { COMPONENT_SOURCE_LABELS } from './format';

const FEED_STATUS: Record<AdvisoryFeed['status'], [Tone, string]> = {
  ok: ['good', 'OK'],
  error: ['bad', 'Failed'],
  'never-read': ['neutral', 'Never read'],
};

const FEED_TYPE: Record<AdvisoryFeed['type'], string> = {
  osv: 'OSV',
  kev: 'CISA KEV',
};

const feedColumns: TableColumn<AdvisoryFeed>[] = [
  {
    title: 'Feed',
    field: 'id',
    render: f => (
      <>
        <Typography variant="body2">{f.id}</Typography>
        <Typography variant="caption" color="textSecondary">
          {FEED_TYPE[f.type]}
        </Typography>
      </>
    ),
  },
  {
    title: 'Target',
    field: 'target',
    render: f => <OverflowText text={f.target} />,
  },
  {
    title: 'Status',
    field: 'status',
    render: f => (
      <ToneChip
        tone={FEED_STATUS[f.status][0]}
        label={FEED_STATUS[f.status][1]}
      />
    ),
  },
  {
    title: 'Last success',
    field: 'lastSuccessAt',
    render: f =>
      f.lastSuccessAt ? (
        <span title={formatDateTime(f.lastSuccessAt)}>
          {formatRelative(f.lastSuccessAt)}
        </span>
      ) : (
        'Never'
      ),
  },
  { title: 'Advisories', field: 'advisoryCount', type: 'numeric' },
  {
    title: 'Problems',
    sorting: false,
    render: f => (
      <>
        {f.error && (
          <Typography variant="body2" color="error">
            <OverflowText text={f.error} lines={4} />
          </Typography>
        )}
        {f.warnings.map((warning, index) => (
          <Typography key={index} variant="caption" display="block">
            <OverflowText text={warning} />
          </Typography>
        ))}
        {!f.error && f.warnings.length === 0 && '—'}
      </>
    ),
  },
];

function ComponentErrors(props: { errors: ComponentSource[] }) {
  if (props.errors.length === 0) {
    return (
      <Typography variant="body2">
        Every entity&apos;s components could be read.
      </Typography>
    );
  }
  return (
    <>
      {props.errors.map(source => (
        <Alert
          key={`${source.entityRef}:${source.kind}:${source.location}`}
          severity="error"
          style={{ marginBottom: 8 }}
        >
          <Typography variant="body2" component="div">
            <EntityRefLink entityRef={source.entityRef} />:{' '}
            {COMPONENT_SOURCE_LABELS[source.kind]} could not be read
          </Typography>
          <Typography variant="body2" component="div">
            <OverflowText text={source.error ?? 'unknown error'} lines={3} />
          </Typography>
          <Typography variant="caption" component="div">
            <OverflowText text={source.location} lines={1} />
          </Typography>
        </Alert>
      ))}
    </>
  );
}

function describeRefresh(result: AdvisoryRefreshResult): string {
  const failed = result.feeds.filter(f => f.status === 'error').length;
  const feeds = `Read ${result.feeds.length} ${
    result.feeds.length === 1 ? 'feed' : 'feeds'
  }${failed ? ` (${failed} failed)` : ''}`;
  return `${feeds}; ${result.entitiesMatched} entities matched, ${result.findingsOpened} findings opened, ${result.findingsResolved} resolved.`;
}

function ReadFeedsButton() {
  const api = useApi(securityManagementApiRef);
  const refresh = useRefreshSecurityData();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{
    severity: 'success' | 'warning' | 'error';
    message: string;
  }>();

  const read = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const result = await api.refreshAdvisories();
      const failed = result.feeds.some(f => f.status === 'error');
      setOutcome({
        severity: failed ? 'warning' : 'success',
        message: describeRefresh(result),
      });
      refresh();
    } catch (e) {
      setOutcome({
        severity: 'error',
        message: `Could not read the feeds: ${serverMessage(e)}`,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box>
      <Button variant="outlined" color="primary" disabled={busy} onClick={read}>
        {busy ? 'Reading feeds…' : 'Read feeds now'}
      </Button>
      {outcome && (
        <Box mt={1}>
          <Alert severity={outcome.severity} role="status">
            {outcome.message}
          </Alert>
        </Box>
      )}
    </Box>
  );
}

/**
 * The advisory feeds (type, target, status, last success, advisories,
 * error and warnings) and every entity whose components could not be read;
 * "Read feeds now" for those who may manage advisories.
 */
export function AdvisoryFeedsPanel() {
  const { allowed: canManage } = usePermission({
    permission: securityAdvisoryManagePermission,
  });
  const state = useSecurityData(api => api.getAdvisoryFeeds(), []);
  return (
    <InfoCard
      title="Feeds"
      action={canManage ? <ReadFeedsButton /> : undefined}
    >
      <AsyncContent state={state} action="view the advisory feeds">
        {status => (
          <>
            <Table<AdvisoryFeed>
              columns={feedColumns}
              data={status.feeds}
              options={{
                search: false,
                paging: false,
                padding: 'dense',
                toolbar: false,
              }}
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2">
                    No advisory feed is configured
                    (securityManagement.advisories.feeds).
                  </Typography>
                </Box>
              }
            />
            <Box mt={2}>
              <Typography variant="subtitle2" gutterBottom>
                Components that could not be read
              </Typography>
              <ComponentErrors errors={status.componentErrors} />
            </Box>
          </>
        )}
      </AsyncContent>
    </InfoCard>
  );
}
