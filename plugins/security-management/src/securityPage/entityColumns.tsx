import { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { EntityPosture } from '@open-itsm/plugin-security-management-common';
import { humanize } from '../lib/format';
import { GradeChip } from '../components/chips';
import { OverflowText } from '../components/OverflowText';

/** The columns of a list of entities with their posture. */
export const entityColumns: TableColumn<EntityPosture>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: e => (
      <EntityRefLink entityRef={e.entityRef}>
        {e.title ? <OverflowText text={e.title} /> : undefined}
      </EntityRefLink>
    ),
  },
  {
    title: 'Grade',
    field: 'grade',
    render: e => <GradeChip grade={e.grade} />,
  },
  { title: 'Score', field: 'score', render: e => e.score ?? '—' },
  { title: 'Failing', field: 'counts.failing' },
  { title: 'Overdue', field: 'counts.overdue' },
  { title: 'Untested', field: 'counts.untested' },
  {
    title: 'Review',
    field: 'review.status',
    render: e => humanize(e.review.status),
  },
];
