import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fromNow,
  incident,
  mockSecurityApi,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { SecurityDataProvider } from '../lib/data';
import { PostIncidentReviewDialog } from './PostIncidentReviewDialog';

// Typing into many fields is slow on a busy machine.
jest.setTimeout(120_000);

function renderDialog(api = mockSecurityApi(), reviewed = incident()) {
  return renderWithApis(
    <SecurityDataProvider>
      <PostIncidentReviewDialog open onClose={() => {}} incident={reviewed} />
    </SecurityDataProvider>,
    { api },
  );
}

describe('PostIncidentReviewDialog', () => {
  it('names each missing field of an action and sends nothing', async () => {
    const setIncidentReview = jest.fn();
    await renderDialog(mockSecurityApi({ setIncidentReview }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add action' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save review' }),
    );
    expect(
      await within(dialog).findByText('Say what caused the incident'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Say what is to be done'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Name the group or user who does it'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Choose a due date')).toBeInTheDocument();
    expect(setIncidentReview).not.toHaveBeenCalled();
  });

  it('sends the review with the failed controls and each action', async () => {
    const setIncidentReview = jest.fn().mockResolvedValue(incident());
    await renderDialog(
      mockSecurityApi({ setIncidentReview }),
      incident({ failedControls: ['securitycontrol:default/tls'] }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Root cause/),
      'Key committed to git',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Lessons learned/),
      'Scan commits',
    );
    const controls = within(dialog).getByLabelText(/Controls that failed/);
    await userEvent.type(controls, ', secrets-rotation');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add action' }),
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Action 1/),
      'Add secret scanning',
    );
    await userEvent.type(within(dialog).getByLabelText(/Owner/), 'team-a');
    await userEvent.type(within(dialog).getByLabelText(/Due/), '2031-03-15');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/Status/),
      'in-progress',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save review' }),
    );

    expect(setIncidentReview).toHaveBeenCalledTimes(1);
    const [{ id, review }] = setIncidentReview.mock.calls[0];
    expect(id).toBe('inc-1');
    expect(review).toMatchObject({
      version: 3,
      rootCause: 'Key committed to git',
      lessons: 'Scan commits',
      failedControls: ['securitycontrol:default/tls', 'secrets-rotation'],
      remediationActions: [
        {
          title: 'Add secret scanning',
          owner: 'team-a',
          status: 'in-progress',
        },
      ],
    });
    // The end of the chosen day, local time.
    expect(review.remediationActions[0].dueAt).toMatch(/^2031-03-1[56]T/);
  });

  it('keeps the ids of the actions it was opened with, and removes one', async () => {
    const setIncidentReview = jest.fn().mockResolvedValue(incident());
    const action = (id: string, title: string) => ({
      id,
      incidentId: 'inc-1',
      title,
      owner: 'group:default/team-a',
      dueAt: fromNow({ days: 5 }),
      status: 'open' as const,
      updatedAt: fromNow({ days: -1 }),
      updatedBy: 'user:default/alice',
    });
    await renderDialog(
      mockSecurityApi({ setIncidentReview }),
      incident({
        review: {
          rootCause: 'Old cause',
          lessons: '',
          remediationActions: [action('a1', 'First'), action('a2', 'Second')],
        },
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/Root cause/)).toHaveValue(
      'Old cause',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove action 1' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save review' }),
    );
    const [{ review }] = setIncidentReview.mock.calls[0];
    expect(review.remediationActions).toEqual([
      expect.objectContaining({ id: 'a2', title: 'Second', status: 'open' }),
    ]);
  });
});
