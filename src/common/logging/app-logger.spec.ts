import { Logger } from '@nestjs/common';
import { parseEnv } from '../../config/env.schema';
import { createAppLogger } from './app-logger';
import { REDACTED } from './redactor';

const API_KEY = 'instructor-key-abcdefghijklmnop';
const OLD_KEY = 'rotated-key-0123456789abcdef';
const CLIENT_SECRET = 'zoom-client-secret-XYZ123';
const WEBHOOK_SECRET = 'webhook-secret-now-777';
const WEBHOOK_NEXT = 'webhook-secret-next-888';
const ANSWER_SECRET = 'answer-token-secret-'.padEnd(40, 'z');
const SECRETS = [API_KEY, OLD_KEY, CLIENT_SECRET, WEBHOOK_SECRET, WEBHOOK_NEXT, ANSWER_SECRET];
/** An instructor key (src/instructors/api-key-format.ts): not configured, caught by its shape. */
const INSTRUCTOR_KEY = 'zlq_1a2b3c4d_' + 'Q'.repeat(21) + '-_' + 'x'.repeat(20);

function configFor(format: 'json' | 'pretty') {
  return parseEnv({
    NODE_ENV: 'test',
    MONGO_URI: 'mongodb://127.0.0.1:27017/x',
    API_KEYS: `${API_KEY},${OLD_KEY}`,
    ZOOM_CLIENT_SECRET: CLIENT_SECRET,
    ZOOM_WEBHOOK_SECRET_TOKEN: WEBHOOK_SECRET,
    ZOOM_WEBHOOK_SECRET_TOKEN_NEXT: WEBHOOK_NEXT,
    ANSWER_TOKEN_SECRET: ANSWER_SECRET,
    LOG_LEVEL: 'debug',
    LOG_FORMAT: format,
  });
}

/** Everything the logger writes to stdout and stderr while `body` runs. */
function captured(body: () => void): string {
  const lines: string[] = [];
  const grab = (chunk: string | Uint8Array): boolean => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(grab);
  try {
    body();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.join('');
}

function logEverything(logger: ReturnType<typeof createAppLogger>): void {
  logger.log(`API key ${API_KEY} and old key ${OLD_KEY}`, 'Auth');
  logger.warn(`token request with secret ${CLIENT_SECRET}`, 'Zoom');
  logger.debug?.(`webhook secrets ${WEBHOOK_SECRET} / ${WEBHOOK_NEXT}`, 'Webhook');
  logger.log({ note: `derived from ${ANSWER_SECRET}`, nested: { list: [API_KEY] } }, 'Obj');
  logger.log('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'Http');
  logger.log('Authorization: Basic Y2xpZW50OnNlY3JldA==', 'Http');
  logger.log('{"access_token":"tok-123456","token_type":"bearer","expires_in":3600}', 'Zoom');
  logger.log('grant_type=x&access_token=tok-abcdef&scope=y', 'Zoom');
  logger.log({ access_token: 'tok-999999', client_secret: 'whatever', expires_in: 3600 }, 'Zoom');
  logger.log('sent https://q.example.com/q/AbCdEfGhIjKlMnOpQrStUv to a participant', 'Send');
  logger.log('sent https://q.example.com/r/RuNtOkEnAbCdEfGhIjKlMn to a participant', 'Send');
  logger.error('[r1] DELETE /api/people/erased.person%40example.com: boom', undefined, 'Errors');
  logger.warn(`refused key ${INSTRUCTOR_KEY}`, 'Auth');
  logger.error(
    `failed with ${CLIENT_SECRET}`,
    `Error: boom ${API_KEY}\n    at somewhere (file.ts:1:1)`,
    'Errors',
  );
  logger.error(new Error(`thrown with ${WEBHOOK_SECRET}`));
}

describe.each(['json', 'pretty'] as const)('app logger (%s)', (format) => {
  it('never writes a configured secret, a bearer/basic credential or an access token', () => {
    const output = captured(() => logEverything(createAppLogger(configFor(format))));
    for (const secret of [
      ...SECRETS,
      'eyJhbGciOiJIUzI1NiJ9',
      'Y2xpZW50OnNlY3JldA==',
      'tok-123456',
      'tok-abcdef',
      'tok-999999',
      'whatever',
      'erased.person',
      'AbCdEfGhIjKlMnOpQrStUv',
      'RuNtOkEnAbCdEfGhIjKlMn',
      INSTRUCTOR_KEY.slice(13),
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain(REDACTED);
    // What is not secret survives, so the lines stay useful.
    expect(output).toContain('token_type');
    expect(output).toContain('expires_in');
    expect(output).toContain('somewhere (file.ts:1:1)');
    expect(output).toContain(INSTRUCTOR_KEY.slice(0, 13)); // the key's visible prefix
  });

  it('covers `new Logger(context)` once the app logger is installed', () => {
    const output = captured(() => {
      Logger.overrideLogger(createAppLogger(configFor(format)));
      new Logger('Somewhere').log(`key ${API_KEY}`);
      Logger.overrideLogger(false);
    });
    expect(output).toContain('Somewhere');
    expect(output).not.toContain(API_KEY);
  });
});

it('writes one JSON object per line in json mode', () => {
  const output = captured(() => createAppLogger(configFor('json')).log('hello', 'Ctx'));
  const line = JSON.parse(output.trim()) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 'log', message: 'hello', context: 'Ctx' });
});
