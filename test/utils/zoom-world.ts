import {
  startZoomSimulator,
  type ZoomSimulator,
  type ZoomSimulatorOptions,
} from '../../tools/zoom-simulator';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app';

export const SENDER_EMAIL = 'quiz-host@example.com';

/** Environment that points the app at a running simulator (as development mode does). */
export function simulatorEnv(sim: ZoomSimulator): Record<string, string> {
  return {
    ZOOM_ACCOUNT_ID: sim.accountId,
    ZOOM_CLIENT_ID: sim.clientId,
    ZOOM_CLIENT_SECRET: sim.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: sim.webhookSecretToken,
    ZOOM_CHAT_SENDER: SENDER_EMAIL,
    ZOOM_API_BASE_URL: sim.apiBaseUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
  };
}

export interface ZoomWorld {
  sim: ZoomSimulator;
  app: TestApp;
  close(): Promise<void>;
}

/**
 * The real app wired to the real Zoom simulator over HTTP, both ways: the app calls the
 * simulator's OAuth/chat/meetings API, and the simulator delivers signed webhooks to the app.
 */
export async function startZoomWorld(
  options: { sim?: ZoomSimulatorOptions; app?: TestAppOptions } = {},
): Promise<ZoomWorld> {
  const sim = await startZoomSimulator({
    rateLimits: { medium: 1000, heavy: 1000, light: 1000 },
    ...options.sim,
  });
  sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
  const app = await createTestApp({
    ...options.app,
    env: { ...simulatorEnv(sim), ...options.app?.env },
  });
  sim.setWebhookTarget(`${app.url}/api/zoom/webhook`);
  return {
    sim,
    app,
    close: async () => {
      await app.close();
      await sim.close();
    },
  };
}

export interface SeededPerson {
  name: string;
  email?: string;
  zoomUserId?: string;
}

/**
 * A meeting in progress with `members` account users (Team Chat contacts) and `guests` who joined
 * without signing in (no Zoom user id, no email: unreachable by Team Chat, docs/zoom.md §2).
 */
export async function seedMeeting(
  sim: ZoomSimulator,
  counts: { members: number; guests?: number; strangers?: number },
): Promise<{ meetingId: string; people: SeededPerson[] }> {
  // The sender hosts it, so it is a member of the meeting's chat channel (docs/zoom.md §2).
  const meeting = sim.createMeeting({
    topic: 'Seeded meeting',
    continuousChat: true,
    hostEmail: SENDER_EMAIL,
  });
  const meetingId = String(meeting.id);
  sim.startMeeting(meetingId);
  const people: SeededPerson[] = [];
  for (let i = 0; i < counts.members; i++) {
    const user = sim.addUser({ email: `member${i}@example.com`, name: `Member ${i}` });
    const person = { name: `Member ${i}`, email: user.email, zoomUserId: user.id };
    sim.join(meetingId, person);
    people.push(person);
  }
  for (let i = 0; i < (counts.guests ?? 0); i++) {
    const person = { name: `Guest ${i}`, zoomUserId: '' };
    sim.join(meetingId, person);
    people.push(person);
  }
  // Signed-in people from outside the sender's contacts: Zoom answers 404 / code 1001 for them.
  for (let i = 0; i < (counts.strangers ?? 0); i++) {
    const person = {
      name: `Stranger ${i}`,
      email: `stranger${i}@elsewhere.example`,
      zoomUserId: `ext-${i}`,
    };
    sim.join(meetingId, person);
    people.push(person);
  }
  await sim.flushWebhooks();
  // On a loaded machine an app may miss Zoom's 3 s answer window: Zoom retries (3 times).
  for (let retry = 0; retry < 3 && sim.retryFailedWebhooks() > 0; retry++) {
    await sim.flushWebhooks();
  }
  return { meetingId, people };
}

/** Messages the simulator accepted, grouped by recipient. */
export function messagesPerRecipient(sim: ZoomSimulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sim.messages()) {
    const key = m.to_contact ?? m.to_channel ?? '?';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
