/**
 * GET /api/test-zoom through the real app (createTestApp: Fastify, guard, filters, Swagger, its own
 * database) with ZOOM_* pointing at the Zoom simulator over real HTTP.
 */
import request from 'supertest';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';
import { HARNESS_SENDER, zoomEnv } from './utils/zoom-harness';

const auth = { 'X-API-Key': TEST_API_KEY };

describe('GET /api/test-zoom (e2e, simulator over HTTP)', () => {
  const started: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const s of started.reverse()) await s.close();
  });

  async function world(
    simOptions: Parameters<typeof startZoomSimulator>[0] = {},
    env: (sim: ZoomSimulator) => Record<string, string> = () => ({}),
  ): Promise<{ sim: ZoomSimulator; app: TestApp }> {
    const sim = await startZoomSimulator(simOptions);
    started.push(sim);
    const app = await createTestApp({ name: 'zoom_api', env: zoomEnv(sim, env(sim)) });
    started.push(app);
    return { sim, app };
  }

  it('answers the account, API base URL and granted scopes, and never the token', async () => {
    const { sim, app } = await world();
    const res = await request(app.url).get('/api/test-zoom').set(auth).expect(200);
    expect(res.body).toEqual({
      ok: true,
      account_id: sim.accountId,
      api_base_url: sim.apiBaseUrl,
      scopes: expect.arrayContaining([
        'chat_message:write:admin',
        'meeting:read:admin',
        'dashboard_meetings:read:admin',
      ]),
      missing_scopes: [],
      chat_sender: HARNESS_SENDER,
      chat_problems: [],
      daily_limits: [],
    });
    expect(sim.tokenRequests()).toBe(1);
    expect(res.text).not.toMatch(/sim\.[A-Za-z0-9_-]{20,}/);
    expect(res.text).not.toContain(sim.clientSecret);
  });

  it('lists the needed scopes the token lacks, accepting granular equivalents', async () => {
    const { app } = await world({
      scopes: [
        'team_chat:write:user_message:admin',
        'team_chat:read:list_user_messages:admin',
        'meeting:read:meeting:admin',
        'user:read:admin',
      ],
    });
    const res = await request(app.url).get('/api/test-zoom').set(auth).expect(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.missing_scopes).toEqual(['dashboard_meetings:read:admin']);
  });

  it("is 502 with Zoom's reason and what to check when the client secret is wrong", async () => {
    const { app } = await world({}, () => ({ ZOOM_CLIENT_SECRET: 'definitely-not-the-secret' }));
    const res = await request(app.url).get('/api/test-zoom').set(auth).expect(502);
    expect(res.body).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: expect.stringContaining('ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET'),
      details: expect.objectContaining({
        zoom_status: 401,
        zoom_code: 4704,
        zoom_message: 'Invalid client_id or client_secret',
        zoom_tracking_id: expect.any(String),
        retryable: false,
      }),
    });
    expect(res.text).not.toContain('definitely-not-the-secret');
  });

  it('is 502 naming ZOOM_ACCOUNT_ID when the account id is wrong', async () => {
    const { app } = await world({}, () => ({ ZOOM_ACCOUNT_ID: 'someone-elses-account' }));
    const res = await request(app.url).get('/api/test-zoom').set(auth).expect(502);
    expect(res.body.message).toContain('ZOOM_ACCOUNT_ID');
    expect(res.body.details.zoom_message).toBe('Invalid account_id');
  });

  it("is 502 with Zoom's reason for any other token refusal (parameters in the query string)", async () => {
    // Zoom answers 400 when the grant is sent in the query string (docs/zoom.md §1); a misconfigured
    // ZOOM_OAUTH_URL carrying one triggers it. (Each documented code's hint is unit-tested.)
    const { app } = await world({}, (sim) => ({
      ZOOM_OAUTH_URL: `${sim.url}/oauth/token?grant_type=x`,
    }));
    const res = await request(app.url).get('/api/test-zoom').set(auth).expect(502);
    expect(res.body.details).toMatchObject({ zoom_status: 400, zoom_code: 'invalid_request' });
    expect(res.body.message).toMatch(/Zoom is not configured correctly: check .*ZOOM_OAUTH_URL/);
  });

  it('is 502 when Zoom cannot be reached at all', async () => {
    const { app } = await world({}, () => ({
      ZOOM_OAUTH_URL: 'http://127.0.0.1:9/oauth/token',
      ZOOM_MAX_ATTEMPTS: '1',
    }));
    const res = await request(app.url).get('/api/test-zoom').set(auth).expect(502);
    expect(res.body.details).toMatchObject({ zoom_status: 0, retryable: true });
    expect(res.body.message).toMatch(/ZOOM_OAUTH_URL/);
  });

  it('needs an instructor key (401 in the error shape)', async () => {
    const { app, sim } = await world();
    const res = await request(app.url).get('/api/test-zoom').expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.any(String),
    });
    expect(sim.tokenRequests()).toBe(0);
  });

  it('is documented in Swagger with its 200, 401 and 502 answers', async () => {
    const { app } = await world();
    const doc = (await request(app.url).get('/docs-json').expect(200)).body;
    const op = doc.paths['/api/test-zoom'].get;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '502']));
    expect(op.responses['502'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorBodyDto',
    );
    expect(op.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
    const schema = doc.components.schemas.TestZoomResponseDto;
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'account_id',
        'api_base_url',
        'chat_problems',
        'chat_sender',
        'daily_limits',
        'missing_scopes',
        'ok',
        'scopes',
      ].sort(),
    );
  });
});
