import { useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  IncidentQuery,
  securityIncidentCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { AsyncContent } from '../components/AsyncContent';
import { ChipFilter, OwnerFilterForm } from '../components/filters';
import { IncidentsTable } from '../components/IncidentsTable';
import { OpenIncidentDialog } from '../dialogs/OpenIncidentDialog';
import { LinkedIncident } from './LinkedIncident';

const REGISTER_LIMIT = 200;

/** The incident register: every incident the caller may read, filtered. */
export function IncidentsTab() {
  const [query, setQuery] = useState<IncidentQuery>({
    status: [],
    severity: [],
  });
  const [open, setOpen] = useState(false);
  const { allowed: canCreate } = usePermission({
    permission: securityIncidentCreatePermission,
  });
  const state = useSecurityData(
    api =>
      api.listIncidents({
        ...query,
        status: query.status?.length ? query.status : undefined,
        severity: query.severity?.length ? query.severity : undefined,
        limit: REGISTER_LIMIT,
      }),
    [query],
  );

  return (
    <>
      <LinkedIncident />
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="flex-start"
      >
        <Box>
          <ChipFilter
            label="Status"
            options={INCIDENT_STATUSES}
            selected={query.status ?? []}
            onChange={status => setQuery(q => ({ ...q, status }))}
          />
          <ChipFilter
            label="Severity"
            options={INCIDENT_SEVERITIES}
            selected={query.severity ?? []}
            onChange={severity => setQuery(q => ({ ...q, severity }))}
          />
          <OwnerFilterForm
            id="incidents-owner"
            initial=""
            onApply={owner =>
              setQuery(q => ({ ...q, owner: owner || undefined }))
            }
            alignItems="flex-start"
            style={{ gap: 8 }}
          />
        </Box>
        {canCreate && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setOpen(true)}
          >
            Open incident
          </Button>
        )}
      </Box>
      <Box mt={2}>
        <AsyncContent state={state} action="view security incidents">
          {page => (
            <>
              <IncidentsTable
                title="Incident register"
                incidents={page.items}
                showAffected
                emptyText="No incidents match these filters."
              />
              {page.totalCount > page.items.length && (
                <Typography variant="caption">
                  Showing {page.items.length} of {page.totalCount} incidents;
                  narrow the filters to see the others.
                </Typography>
              )}
            </>
          )}
        </AsyncContent>
      </Box>
      <OpenIncidentDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
