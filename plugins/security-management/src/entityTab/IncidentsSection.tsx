import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import { securityIncidentCreatePermission } from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { AsyncContent } from '../components/AsyncContent';
import { IncidentsTable } from '../components/IncidentsTable';
import { OpenIncidentDialog } from '../dialogs/OpenIncidentDialog';

/** Incidents that affect the entity and that the caller may read. */
export function IncidentsSection(props: { entityRef: string }) {
  const [open, setOpen] = useState(false);
  const { allowed: canCreate } = usePermission({
    permission: securityIncidentCreatePermission,
  });
  const state = useSecurityData(
    api => api.listIncidents({ entityRef: props.entityRef }),
    [props.entityRef],
  );
  return (
    <InfoCard
      title="Security incidents"
      action={
        canCreate ? (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setOpen(true)}
          >
            Open incident
          </Button>
        ) : undefined
      }
    >
      <AsyncContent state={state} action="view security incidents">
        {page => (
          <IncidentsTable
            incidents={page.items}
            emptyText="No incidents that you may see affect this entity."
          />
        )}
      </AsyncContent>
      <OpenIncidentDialog
        open={open}
        onClose={() => setOpen(false)}
        entityRef={props.entityRef}
      />
    </InfoCard>
  );
}
