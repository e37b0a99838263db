import { InfoCard } from '@backstage/core-components';
import { useSecurityData } from '../lib/data';
import { AsyncContent } from '../components/AsyncContent';
import { ExceptionsTable } from '../components/ExceptionsTable';

/** The exceptions (risk acceptances) of the entity. */
export function ExceptionsSection(props: { entityRef: string }) {
  const state = useSecurityData(
    api => api.listExceptions({ entityRef: props.entityRef }),
    [props.entityRef],
  );
  return (
    <InfoCard title="Exceptions">
      <AsyncContent state={state} action="view exceptions">
        {page => (
          <ExceptionsTable
            exceptions={page.items}
            emptyText="No exceptions have been requested for this entity."
          />
        )}
      </AsyncContent>
    </InfoCard>
  );
}
