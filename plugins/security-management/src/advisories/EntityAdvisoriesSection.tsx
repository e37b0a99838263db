import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  EntityAdvisories,
  securityAdvisoryUpdatePermission,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { AsyncContent } from '../components/AsyncContent';
import { useRefreshSecurityData, useSecurityData } from '../lib/data';
import { serverMessage } from '../lib/errors';
import { ComponentSources, NoComponentsState } from './ComponentSources';
import { FindingsTable } from './FindingsTable';

function describeCounts(advisories: EntityAdvisories, all: boolean): string {
  const { total, overdue, knownExploited } = advisories.counts;
  const parts = [`${total} ${all ? 'in all' : 'active'}`];
  if (overdue) parts.push(`${overdue} overdue`);
  if (knownExploited) parts.push(`${knownExploited} known exploited`);
  return parts.join(' · ');
}

function NoFindings(props: { advisories: EntityAdvisories; all: boolean }) {
  const { sources } = props.advisories;
  if (sources.length > 0 && sources.every(s => s.status === 'error')) {
    return (
      <Typography variant="body2">
        None of this entity&apos;s components could be read, so no advisory can
        be matched to it.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">
        No known advisory affects this entity.
      </Typography>
      {!props.all && (
        <Typography variant="caption" color="textSecondary">
          Mitigated, not affected and resolved advisories are hidden; show all
          to see them.
        </Typography>
      )}
    </>
  );
}

function ReReadButton(props: { entityRef: string }) {
  const api = useApi(securityManagementApiRef);
  const alertApi = useApi(alertApiRef);
  const refresh = useRefreshSecurityData();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const reRead = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.refreshEntityAdvisories({
        entityRef: props.entityRef,
      });
      alertApi.post({
        message: `Components re-read: ${result.counts.total} active ${
          result.counts.total === 1 ? 'advisory' : 'advisories'
        }`,
        severity: 'success',
        display: 'transient',
      });
      refresh();
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box textAlign="right">
      <Button
        variant="outlined"
        color="primary"
        disabled={busy}
        onClick={reRead}
      >
        {busy ? 'Reading…' : 'Re-read components'}
      </Button>
      {error && (
        <Alert severity="error" role="alert">
          Could not re-read the components: {error}
        </Alert>
      )}
    </Box>
  );
}

/**
 * The advisories that affect the entity, each with the components that
 * make it match, where those components come from, and the moves the
 * caller may make.
 */
export function EntityAdvisoriesSection(props: { entityRef: string }) {
  const { entityRef } = props;
  const [all, setAll] = useState(false);
  const { allowed: canUpdate } = usePermission({
    permission: securityAdvisoryUpdatePermission,
  });
  const state = useSecurityData(
    api => api.getEntityAdvisories({ entityRef, all: all || undefined }),
    [entityRef, all],
  );
  return (
    <InfoCard
      title="Advisories"
      subheader="Known vulnerabilities in what this entity is built from"
      action={canUpdate ? <ReReadButton entityRef={entityRef} /> : undefined}
    >
      <AsyncContent state={state} action="view advisories">
        {advisories =>
          advisories.sources.length === 0 &&
          advisories.findings.length === 0 ? (
            <NoComponentsState />
          ) : (
            <>
              {advisories.sources.length > 0 && (
                <ComponentSources sources={advisories.sources} />
              )}
              <Box
                display="flex"
                justifyContent="space-between"
                alignItems="center"
                flexWrap="wrap"
              >
                <Typography variant="body2">
                  {describeCounts(advisories, all)}
                </Typography>
                <FormControlLabel
                  control={
                    <Switch
                      checked={all}
                      onChange={e => setAll(e.target.checked)}
                      color="primary"
                    />
                  }
                  label="Show all"
                />
              </Box>
              <FindingsTable
                findings={advisories.findings}
                clientPaging
                emptyContent={<NoFindings advisories={advisories} all={all} />}
              />
            </>
          )
        }
      </AsyncContent>
    </InfoCard>
  );
}
