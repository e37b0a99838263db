import Typography from '@material-ui/core/Typography';
import { ANNOTATION_CONTROLS } from '@open-itsm/plugin-security-management-common';

/** What to show when no control applies to an entity, and how to fix it. */
export function NoControlsState() {
  return (
    <>
      <Typography variant="body1" gutterBottom>
        No security controls apply to this entity.
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Add a SecurityControl whose <code>appliesTo</code> selects it, or list
        the control in the entity&apos;s <code>{ANNOTATION_CONTROLS}</code>{' '}
        annotation.
      </Typography>
    </>
  );
}
