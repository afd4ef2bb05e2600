import { ROLES } from '../common/auth/actor';
import {
  GRANT_ROLES,
  includesLevel,
  MEETING_LEVELS,
  meetingLevel,
  refusal,
  type GrantRole,
} from './access.types';

describe('meeting access rule', () => {
  const grants: Array<GrantRole | null> = [null, ...GRANT_ROLES];

  it('gives an admin everything, host or not, granted or not', () => {
    for (const grant of grants) {
      for (const isHost of [false, true]) {
        expect(meetingLevel({ role: 'admin', grant, isHost })).toBe('manage');
      }
    }
  });

  it('gives an instructor account that hosts the meeting everything', () => {
    for (const grant of grants) {
      expect(meetingLevel({ role: 'instructor', grant, isHost: true })).toBe('manage');
    }
  });

  it('gives a grantee what the grant says, and nothing without one', () => {
    expect(meetingLevel({ role: 'instructor', grant: 'instructor', isHost: false })).toBe('send');
    expect(meetingLevel({ role: 'instructor', grant: 'assistant', isHost: false })).toBe('remind');
    expect(meetingLevel({ role: 'instructor', grant: null, isHost: false })).toBeNull();
    expect(meetingLevel({ role: 'assistant', grant: null, isHost: false })).toBeNull();
  });

  it("caps everything by the account's role: an assistant account never sends", () => {
    for (const grant of grants) {
      for (const isHost of [false, true]) {
        const level = meetingLevel({ role: 'assistant', grant, isHost });
        expect(includesLevel(level, 'send')).toBe(false);
      }
    }
    expect(meetingLevel({ role: 'assistant', grant: 'instructor', isHost: false })).toBe('remind');
    expect(meetingLevel({ role: 'assistant', grant: null, isHost: true })).toBe('remind');
  });

  it('lets only the host or an admin manage grants', () => {
    for (const role of ROLES) {
      for (const grant of grants) {
        const level = meetingLevel({ role, grant, isHost: false });
        expect(includesLevel(level, 'manage')).toBe(role === 'admin');
      }
    }
  });

  it('orders the levels: each includes the weaker ones, none includes a stronger one', () => {
    MEETING_LEVELS.forEach((level, i) => {
      MEETING_LEVELS.forEach((needed, j) => {
        expect(includesLevel(level, needed)).toBe(j <= i);
      });
      expect(includesLevel(null, level)).toBe(false);
    });
  });

  describe('refusal', () => {
    it('says the meeting, that they neither host nor hold a grant, and whom to ask', () => {
      expect(refusal('123', 'instructor', null, 'send')).toBe(
        'You do not host meeting 123 and have no grant for it; ask its host or an admin',
      );
    });

    it("names the account's role when the role itself forbids it", () => {
      expect(refusal('123', 'assistant', 'remind', 'send')).toBe(
        'An assistant account may not send questions to meeting 123; ask its host or an admin',
      );
    });

    it('names what the grant allows when it allows less', () => {
      expect(refusal('123', 'instructor', 'remind', 'send')).toMatch(
        /grant for meeting 123 lets you send reminders to it, not send questions to it/,
      );
      expect(refusal('123', 'instructor', 'send', 'manage')).toBe(
        "Only meeting 123's host or an admin may manage its grants",
      );
    });
  });
});
