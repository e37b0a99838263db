import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  CONTROL_STATUSES,
  ControlListItem,
} from '@open-itsm/plugin-security-management-common';
import { useSecurityData } from '../lib/data';
import { describeCadence, humanize } from '../lib/format';
import { AsyncContent } from '../components/AsyncContent';
import { FrameworkChips } from '../components/chips';
import { OverflowText } from '../components/OverflowText';
import { ControlsNotInEffectPanel } from './ControlsNotInEffectPanel';

const columns: TableColumn<ControlListItem>[] = [
  {
    title: 'Control',
    field: 'title',
    render: c => (
      <EntityRefLink entityRef={c.ref}>
        <OverflowText text={c.title} />
      </EntityRefLink>
    ),
  },
  { title: 'Category', field: 'category', render: c => humanize(c.category) },
  {
    title: 'Criticality',
    field: 'criticality',
    render: c => humanize(c.criticality),
  },
  {
    title: 'Testing',
    field: 'cadence',
    render: c => `${humanize(c.method)}, ${describeCadence(c.cadence)}`,
  },
  {
    title: 'Frameworks',
    sorting: false,
    render: c => <FrameworkChips frameworks={c.frameworks} />,
  },
  { title: 'Applies to', field: 'applicableCount' },
  {
    title: 'Status',
    sorting: false,
    render: c =>
      CONTROL_STATUSES.filter(s => c.counts[s] > 0)
        .map(s => `${c.counts[s]} ${s}`)
        .join(' · ') || '—',
  },
];

/**
 * The control library: every SecurityControl and where it applies, and
 * above it the controls that are not in effect.
 */
export function ControlLibraryTab() {
  const state = useSecurityData(api => api.listControls(), []);
  return (
    <>
      <ControlsNotInEffectPanel />
      <AsyncContent state={state} action="view the control library">
        {list => (
          <Table<ControlListItem>
            title="Control library"
            columns={columns}
            data={list.items}
            options={{
              search: true,
              paging: list.items.length > 20,
              pageSize: 20,
              padding: 'dense',
            }}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">
                  No SecurityControl is registered yet. Add SecurityControl
                  entities to the catalog to build the library.
                </Typography>
              </Box>
            }
          />
        )}
      </AsyncContent>
    </>
  );
}
