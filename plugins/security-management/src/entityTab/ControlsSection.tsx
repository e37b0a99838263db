import { useState } from 'react';
import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  ControlPosture,
  EntityPosture,
  securityExceptionRequestPermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import { LoadState, AsyncContent } from '../components/AsyncContent';
import { ControlStatusChip, FrameworkChips } from '../components/chips';
import { NoControlsState } from '../components/NoControlsState';
import { OverflowText } from '../components/OverflowText';
import { PostureSummary } from '../components/PostureSummary';
import { RecordTestDialog } from '../dialogs/RecordTestDialog';
import { RequestExceptionDialog } from '../dialogs/RequestExceptionDialog';
import { describeNextTest, formatDate, humanize } from '../lib/format';

const columns: TableColumn<ControlPosture>[] = [
  {
    title: 'Control',
    field: 'control.title',
    render: c => (
      <>
        <EntityRefLink entityRef={c.control.ref}>
          <OverflowText text={c.control.title} />
        </EntityRefLink>
        <Typography variant="caption" display="block" color="textSecondary">
          {humanize(c.control.criticality)} criticality
        </Typography>
      </>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: c => (
      <>
        <ControlStatusChip status={c.status} />
        {c.inheritedFrom && (
          <Typography variant="caption" display="block">
            Inherited from{' '}
            <EntityRefLink
              entityRef={c.inheritedFrom}
              defaultKind="Component"
            />
          </Typography>
        )}
        {c.exception && (
          <Typography variant="caption" display="block">
            Exception until {formatDate(c.exception.expiresAt)}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Last tested',
    field: 'lastTestedAt',
    render: c =>
      c.lastTestedAt
        ? `${formatDate(c.lastTestedAt)} (${humanize(c.lastResult ?? '')})`
        : 'Never',
  },
  {
    title: 'Next due',
    field: 'nextDueAt',
    render: c => describeNextTest(c),
  },
  {
    title: 'Evidence',
    sorting: false,
    render: c =>
      c.evidenceUrl ? <Link to={c.evidenceUrl}>Evidence</Link> : '—',
  },
  {
    title: 'Frameworks',
    sorting: false,
    render: c => <FrameworkChips frameworks={c.control.frameworks} />,
  },
];

/** The entity's posture and its controls, with test and exception actions. */
export function ControlsSection(props: {
  entityRef: string;
  state: LoadState<EntityPosture | null>;
}) {
  const { entityRef, state } = props;
  // An inherited control is tested, and excepted, on the entity it is
  // inherited from (its link), not here.
  const controls = (state.value?.controls ?? []).filter(c => !c.inheritedFrom);
  const [dialog, setDialog] = useState<'test' | 'exception'>();
  const { allowed: canTest } = usePermission({
    permission: securityTestRecordCreatePermission,
  });
  const { allowed: canRequest } = usePermission({
    permission: securityExceptionRequestPermission,
  });

  const actions = controls.length > 0 && (
    <Box display="flex" style={{ gap: 8 }}>
      {canTest && (
        <Button
          variant="contained"
          color="primary"
          onClick={() => setDialog('test')}
        >
          Record test
        </Button>
      )}
      {canRequest && (
        <Button variant="outlined" onClick={() => setDialog('exception')}>
          Request exception
        </Button>
      )}
    </Box>
  );

  return (
    <InfoCard title="Security controls" action={actions || undefined}>
      <AsyncContent
        state={state}
        action="view the security posture of this entity"
      >
        {posture =>
          posture && posture.controls && posture.controls.length > 0 ? (
            <>
              <Box mb={2}>
                <PostureSummary posture={posture} />
              </Box>
              <Table<ControlPosture>
                columns={columns}
                data={posture.controls}
                options={{
                  search: false,
                  paging: false,
                  padding: 'dense',
                  toolbar: false,
                }}
              />
            </>
          ) : (
            <NoControlsState />
          )
        }
      </AsyncContent>
      <RecordTestDialog
        open={dialog === 'test'}
        onClose={() => setDialog(undefined)}
        entityRef={entityRef}
        controls={controls.map(c => c.control)}
      />
      <RequestExceptionDialog
        open={dialog === 'exception'}
        onClose={() => setDialog(undefined)}
        entityRef={entityRef}
        controls={controls.map(c => c.control)}
      />
    </InfoCard>
  );
}
