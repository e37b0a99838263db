import { screen, within } from '@testing-library/react';
import {
  fromNow,
  mockSecurityApi,
  renderWithApis,
  responseError,
} from '../__testUtils__/fixtures';
import { EntityCampaignsSection } from './EntityCampaignsSection';

const SHOP = 'component:default/shop';

function renderSection(api: ReturnType<typeof mockSecurityApi>) {
  return renderWithApis(<EntityCampaignsSection entityRef={SHOP} />, { api });
}

describe('EntityCampaignsSection', () => {
  it("shows each campaign's items on this entity and which are done", async () => {
    const api = mockSecurityApi({
      listEntityCampaigns: jest.fn().mockResolvedValue({
        items: [
          {
            id: 'c1',
            name: 'TLS everywhere',
            goal: 'Prove TLS on every service.',
            deadline: fromNow({ days: 9 }),
            items: [
              {
                kind: 'advisory',
                ref: 'GHSA-34x7-hfp2-rc4v',
                title: 'tar path traversal',
                status: 'open',
                done: false,
              },
              {
                kind: 'control',
                ref: 'securitycontrol:default/tls',
                title: 'Encrypt data in transit',
                status: 'passing',
                done: true,
              },
            ],
          },
        ],
      }),
    });
    await renderSection(api);
    expect(await screen.findByText('TLS everywhere')).toBeInTheDocument();
    expect(api.listEntityCampaigns).toHaveBeenCalledWith({ entityRef: SHOP });
    expect(screen.getByText(/1 of 2 done/)).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Items of TLS everywhere' });
    const [advisory, control] = within(list).getAllByRole('listitem');
    expect(within(advisory).getByText('tar path traversal')).toBeVisible();
    expect(within(advisory).getByTitle('To do')).toBeInTheDocument();
    expect(within(advisory).getByText('Open')).toBeVisible();
    expect(within(control).getByTitle('Done')).toBeInTheDocument();
    expect(within(control).getByText('Passing')).toBeVisible();
  });

  it('says when the entity is in no campaign, and when they cannot be loaded', async () => {
    const { unmount } = await renderSection(
      mockSecurityApi({
        listEntityCampaigns: jest.fn().mockResolvedValue({ items: [] }),
      }),
    );
    expect(
      await screen.findByText('This entity is in no active campaign.'),
    ).toBeInTheDocument();
    unmount();

    await renderSection(
      mockSecurityApi({
        listEntityCampaigns: jest
          .fn()
          .mockRejectedValue(
            await responseError({ status: 500, name: 'Error', message: 'x' }),
          ),
      }),
    );
    expect(
      await screen.findByText(/Could not view this entity's campaigns/),
    ).toBeInTheDocument();
  });
});
