import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { makeStyles } from '@material-ui/core/styles';
import { INCIDENT_SEVERITIES } from '@open-itsm/plugin-security-management-common';
import { ReactNode } from 'react';
import { SeverityChip } from '../components/chips';
import { humanize } from '../lib/format';

/** The document types Security Management indexes, with their labels. */
export const SECURITY_SEARCH_TYPES = {
  'security-control': 'Security control',
  'security-policy': 'Security policy',
  'security-incident': 'Security incident',
} as const;

/** A document type Security Management indexes. */
export type SecuritySearchType = keyof typeof SECURITY_SEARCH_TYPES;

/** The fields of a Security Management search document it shows. */
interface SecurityDocument {
  title: string;
  text: string;
  location: string;
  owner?: string;
  frameworks?: string[];
  status?: string;
  version?: string;
  severity?: string;
  affectedEntities?: string[];
}

const useStyles = makeStyles(theme => ({
  item: { display: 'flex', alignItems: 'flex-start' },
  details: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
    alignItems: 'center',
  },
  text: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
}));

function details(type: SecuritySearchType, doc: SecurityDocument): ReactNode[] {
  const owner = doc.owner ? [<span key="owner">Owner: {doc.owner}</span>] : [];
  switch (type) {
    case 'security-control':
      return [
        ...owner,
        ...(doc.frameworks ?? []).map(framework => (
          <Chip key={framework} size="small" label={framework} />
        )),
      ];
    case 'security-policy':
      return [
        ...owner,
        ...(doc.status
          ? [<Chip key="status" size="small" label={humanize(doc.status)} />]
          : []),
        ...(doc.version ? [<span key="version">v{doc.version}</span>] : []),
      ];
    default:
      return [
        ...((INCIDENT_SEVERITIES as readonly string[]).includes(
          doc.severity ?? '',
        )
          ? [
              <SeverityChip
                key="severity"
                severity={doc.severity as (typeof INCIDENT_SEVERITIES)[number]}
              />,
            ]
          : []),
        ...(doc.status
          ? [<Chip key="status" size="small" label={humanize(doc.status)} />]
          : []),
        ...(doc.affectedEntities?.length
          ? [
              <span key="affected">
                Affects {doc.affectedEntities.join(', ')}
              </span>,
            ]
          : []),
      ];
  }
}

/**
 * A control, policy or incident in Backstage search's results: its type,
 * title (a link to its page), text and the fields that tell results apart.
 * The search page wraps it in its list item.
 */
export function SecuritySearchResultListItem(props: {
  type: SecuritySearchType;
  /** The search document (the search page passes the document here). */
  result?: unknown;
  icon?: ReactNode;
}) {
  const classes = useStyles();
  const { type } = props;
  const doc = props.result as SecurityDocument | undefined;
  if (!doc) return null;
  return (
    <div className={classes.item}>
      {props.icon && <ListItemIcon>{props.icon as any}</ListItemIcon>}
      <ListItemText
        primary={<Link to={doc.location}>{doc.title}</Link>}
        secondary={
          <>
            <span className={classes.text}>{doc.text}</span>
            <Box component="span" className={classes.details}>
              <Chip
                size="small"
                variant="outlined"
                label={SECURITY_SEARCH_TYPES[type]}
              />
              {details(type, doc)}
            </Box>
          </>
        }
        secondaryTypographyProps={{ component: 'div' } as any}
      />
    </div>
  );
}
