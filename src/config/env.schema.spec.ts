import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_DEFAULTS, InvalidConfigError, parseEnv } from './env.schema';

const base = {
  NODE_ENV: 'test',
  MONGO_URI: 'mongodb://127.0.0.1:27017/x',
  API_KEYS: 'a-long-enough-key-0001',
};

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const config = parseEnv(base);
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.zoom.apiBaseUrl).toBe('https://api.zoom.us/v2');
    expect(config.zoom.oauthUrl).toBe('https://zoom.us/oauth/token');
    expect(config.zoom.rateLimits).toEqual({ light: 30, medium: 20, heavy: 10 });
    expect(config.zoom.webhookToleranceSeconds).toBe(300);
    expect(config.logFormat).toBe('pretty');
  });

  it('splits API_KEYS for rotation and accepts a next webhook secret', () => {
    const config = parseEnv({
      ...base,
      API_KEYS: ' key-one-0123456789 , key-two-0123456789 ,',
      ZOOM_WEBHOOK_SECRET_TOKEN: 'now',
      ZOOM_WEBHOOK_SECRET_TOKEN_NEXT: 'next',
    });
    expect(config.apiKeys).toEqual(['key-one-0123456789', 'key-two-0123456789']);
    expect(config.zoom.webhookSecretTokens).toEqual(['now', 'next']);
  });

  it('names every bad variable at once', () => {
    const found = problems({
      ...base,
      PORT: 'abc',
      ZOOM_API_BASE_URL: 'ftp://x',
      ZOOM_RATE_LIMIT_MEDIUM: '0',
      SPEED_SCORING: 'maybe',
    });
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toMatch(
      /PORT[\s\S]*ZOOM_API_BASE_URL[\s\S]*ZOOM_RATE_LIMIT_MEDIUM[\s\S]*SPEED_SCORING/,
    );
  });

  it('in production requires the database, keys, base URL and Zoom credentials', () => {
    const found = problems({ NODE_ENV: 'production' });
    for (const name of [
      'MONGO_URI',
      'API_KEYS',
      'BASE_URL',
      'ZOOM_ACCOUNT_ID',
      'ZOOM_CLIENT_ID',
      'ZOOM_CLIENT_SECRET',
      'ZOOM_CHAT_SENDER',
      'ZOOM_WEBHOOK_SECRET_TOKEN',
      'ANSWER_TOKEN_SECRET',
    ]) {
      expect(found.some((p) => p.startsWith(name))).toBe(true);
    }
    expect(
      parseEnv({
        ...base,
        NODE_ENV: 'production',
        BASE_URL: 'https://q.example.com',
        ZOOM_ACCOUNT_ID: 'a',
        ZOOM_CLIENT_ID: 'b',
        ZOOM_CLIENT_SECRET: 'c',
        ZOOM_CHAT_SENDER: 'd@example.com',
        ZOOM_WEBHOOK_SECRET_TOKEN: 'e',
        ANSWER_TOKEN_SECRET: 's'.repeat(32),
      }).logFormat,
    ).toBe('json');
  });

  it('never echoes an API key in its complaint', () => {
    const found = problems({ ...base, API_KEYS: 'short-secret' });
    expect(found.join()).not.toContain('short-secret');
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    for (const name of Object.keys(ENV_DEFAULTS))
      expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
  });
});
