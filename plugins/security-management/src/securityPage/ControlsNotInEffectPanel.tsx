import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  ControlFailureKind,
  ControlNotInEffect,
  securityReportReadPermission,
} from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { formatDateTime } from '../lib/format';

const FAILURE_LABELS: Record<ControlFailureKind, string> = {
  'invalid-definition': 'Invalid definition',
  'invalid-metadata': 'Invalid name or metadata',
  'unsupported-version': 'Unsupported apiVersion',
  'unrecognized-kind': 'Kind or apiVersion not recognised',
  'unreadable-location': 'Location could not be read',
  conflict: 'Duplicate name',
  'processing-error': 'Processing error',
};

const WRAP = { overflowWrap: 'anywhere', wordBreak: 'break-word' } as const;

// The alert's message is a flex item: without a zero minimum width a long
// path or reason widens the alert past the page instead of wrapping.
const useStyles = makeStyles({ message: { minWidth: 0, flex: 1 } });

/** "1 control" or "3 controls". */
function controls(count: number): string {
  return `${count} ${count === 1 ? 'control' : 'controls'}`;
}

function Title(props: { item: ControlNotInEffect }) {
  const { item } = props;
  // Only an entity the catalog holds has a page to link to.
  const linkable =
    item.source === 'catalog-entity' && item.ref.startsWith('securitycontrol:');
  return (
    <>
      {linkable ? (
        <EntityRefLink entityRef={item.ref}>{item.name}</EntityRefLink>
      ) : (
        <span style={WRAP}>{item.name}</span>
      )}
      {' — '}
      {FAILURE_LABELS[item.failure]}
    </>
  );
}

function Details(props: { item: ControlNotInEffect }) {
  const { item } = props;
  return (
    <>
      <Typography component="span" variant="body2" display="block" style={WRAP}>
        {item.reason}
        {item.failure === 'unreadable-location' &&
          '. No control in this location is in effect.'}
      </Typography>
      {item.location && (
        <Typography
          component="span"
          variant="caption"
          display="block"
          style={WRAP}
        >
          Source: <code>{item.location}</code>
        </Typography>
      )}
      {item.conflictingLocation && (
        <Typography
          component="span"
          variant="caption"
          display="block"
          style={WRAP}
        >
          Kept instead: <code>{item.conflictingLocation}</code>
        </Typography>
      )}
      {item.reportedAt && (
        <Typography component="span" variant="caption" display="block">
          Reported by the catalog {formatDateTime(item.reportedAt)}
        </Typography>
      )}
    </>
  );
}

/**
 * The controls the catalog was given that are not in effect, each with its
 * reason and source location. For those who may read reports: it covers
 * the whole catalog and quotes files' problems.
 */
export function ControlsNotInEffectPanel() {
  const classes = useStyles();
  const { allowed } = usePermission({
    permission: securityReportReadPermission,
  });
  const state = useSecurityData(
    api =>
      allowed ? api.listControlsNotInEffect() : Promise.resolve(undefined),
    [allowed],
  );
  if (!allowed) return null;
  return (
    <Box mb={2}>
      <AsyncContent state={state} action="view the controls not in effect">
        {answer =>
          answer && answer.items.length > 0 ? (
            <Alert severity="warning" classes={{ message: classes.message }}>
              <AlertTitle>
                {controls(answer.items.length)} not in effect
              </AlertTitle>
              <Typography variant="body2">
                The catalog could not take these as written, so they apply to
                nothing. Fix each at its source.
              </Typography>
              <List dense disablePadding aria-label="Controls not in effect">
                {answer.items.map(item => (
                  <ListItem
                    key={`${item.failure} ${item.ref} ${item.location ?? ''}`}
                    disableGutters
                    alignItems="flex-start"
                  >
                    <ListItemText
                      primary={<Title item={item} />}
                      secondary={<Details item={item} />}
                      secondaryTypographyProps={{ component: 'div' }}
                    />
                  </ListItem>
                ))}
              </List>
            </Alert>
          ) : (
            <Typography variant="body2" color="textSecondary">
              Every control in the catalog is in effect: the catalog reports no
              processing errors or conflicts for controls or their locations.
            </Typography>
          )
        }
      </AsyncContent>
    </Box>
  );
}
