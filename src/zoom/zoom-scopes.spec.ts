import { missingScopes } from './zoom-scopes';
import { tokenErrorHint } from './zoom-token.service';

describe('missingScopes', () => {
  it('is empty with the classic scopes', () => {
    expect(
      missingScopes([
        'chat_message:write:admin',
        'chat_message:read:admin',
        'meeting:read:admin',
        'dashboard_meetings:read:admin',
      ]),
    ).toEqual([]);
  });

  it('accepts the granular equivalents', () => {
    expect(
      missingScopes([
        'team_chat:write:user_message:admin',
        'team_chat:read:list_user_messages:admin',
        'meeting:read:meeting:admin',
        'dashboard:read:list_meeting_participants:admin',
      ]),
    ).toEqual([]);
  });

  it('names each missing need by its classic scope', () => {
    expect(missingScopes(['meeting:read:admin', 'user:read:admin'])).toEqual([
      'chat_message:write:admin',
      'chat_message:read:admin',
      'dashboard_meetings:read:admin',
    ]);
    expect(missingScopes([])).toHaveLength(4);
  });
});

describe('tokenErrorHint (docs/zoom.md §1)', () => {
  it.each([
    [401, 4702, 'Invalid client_id or client_secret', 'ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET'],
    [401, 4704, 'Invalid client_id or client_secret', 'ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET'],
    [401, 'invalid_client', 'Invalid client', 'ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET'],
    [400, 4705, 'unsupported grant type', 'Server-to-Server OAuth app'],
    [
      401,
      4706,
      'Missing client_id or client_secret',
      'ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET',
    ],
    [400, 'invalid_request', 'Invalid account_id', 'ZOOM_ACCOUNT_ID'],
    [404, null, 'Not Found', 'ZOOM_OAUTH_URL'],
  ])('%i %s "%s" points at %s', (status, code, reason, expected) => {
    expect(tokenErrorHint(status, code, reason)).toContain(expected);
  });
});
