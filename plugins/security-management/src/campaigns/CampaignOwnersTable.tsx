import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { CampaignOwnerProgress } from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { CampaignProgressBar } from './CampaignProgressBar';

/** A campaign's progress per owner, those with most left to do first. */
export function CampaignOwnersTable(props: { id: string; name: string }) {
  const { id, name } = props;
  const state = useSecurityData(api => api.getCampaign({ id }), [id]);
  const columns: TableColumn<CampaignOwnerProgress>[] = [
    {
      title: 'Owner',
      field: 'owner',
      render: row =>
        row.owner ? (
          <EntityRefLink entityRef={row.owner} defaultKind="group" />
        ) : (
          <Typography variant="body2">No owner</Typography>
        ),
    },
    {
      title: 'Left to do',
      sorting: false,
      render: row => row.items - row.done,
    },
    {
      title: 'Progress',
      sorting: false,
      render: row => (
        <CampaignProgressBar
          progress={row}
          label={`${row.owner ?? 'No owner'} in ${name}`}
        />
      ),
    },
  ];
  return (
    <AsyncContent state={state} action="view the campaign's progress by owner">
      {detail =>
        detail.owners.length === 0 ? (
          <Typography variant="body2">
            No entity in scope has anything to do for this campaign.
          </Typography>
        ) : (
          <Table
            title="Progress by owner"
            options={{
              paging: detail.owners.length > 20,
              pageSize: 20,
              search: false,
              padding: 'dense',
            }}
            columns={columns}
            data={detail.owners}
          />
        )
      }
    </AsyncContent>
  );
}
