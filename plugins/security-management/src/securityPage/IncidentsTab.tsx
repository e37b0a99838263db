import { FormEvent, useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  IncidentQuery,
  securityIncidentCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { humanize } from '../lib/format';
import { isGroupRef } from '../lib/validation';
import { AsyncContent } from '../components/AsyncContent';
import { IncidentsTable } from '../components/IncidentsTable';
import { OpenIncidentDialog } from '../dialogs/OpenIncidentDialog';

const REGISTER_LIMIT = 200;

function toggle<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter(i => i !== item) : [...list, item];
}

function ChipFilter<T extends string>(props: {
  label: string;
  options: readonly T[];
  selected: T[];
  onChange: (selected: T[]) => void;
}) {
  return (
    <Box mb={1} role="group" aria-label={props.label}>
      <Typography variant="caption" component="span" style={{ marginRight: 8 }}>
        {props.label}
      </Typography>
      {props.options.map(option => {
        const on = props.selected.includes(option);
        return (
          <Chip
            key={option}
            size="small"
            label={humanize(option)}
            clickable
            aria-pressed={on}
            color={on ? 'primary' : 'default'}
            variant={on ? 'default' : 'outlined'}
            onClick={() => props.onChange(toggle(props.selected, option))}
            style={{ marginRight: 4 }}
          />
        );
      })}
    </Box>
  );
}

/** The incident register: every incident the caller may read, filtered. */
export function IncidentsTab() {
  const [query, setQuery] = useState<IncidentQuery>({
    status: [],
    severity: [],
  });
  const [owner, setOwner] = useState('');
  const [ownerError, setOwnerError] = useState<string>();
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

  const applyOwner = () => {
    const value = owner.trim();
    if (value && !isGroupRef(value)) {
      setOwnerError('Enter a group ref such as group:default/payments');
      return;
    }
    setOwnerError(undefined);
    setQuery(q => ({ ...q, owner: value || undefined }));
  };

  return (
    <>
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
          <Box
            component="form"
            display="flex"
            alignItems="flex-start"
            style={{ gap: 8 }}
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              applyOwner();
            }}
          >
            <TextField
              id="incidents-owner"
              label="Owner"
              placeholder="group:default/payments"
              InputLabelProps={{ shrink: true }}
              value={owner}
              error={Boolean(ownerError)}
              helperText={ownerError}
              onChange={e => setOwner(e.target.value)}
            />
            <Button type="submit" variant="outlined">
              Apply
            </Button>
          </Box>
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
