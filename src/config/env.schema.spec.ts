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
    expect(config.zoom.webhookToleranceSeconds).toBe(5400);
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

  it('binds to HOST (default every interface) and refuses a malformed one', () => {
    expect(parseEnv(base).host).toBe('0.0.0.0');
    expect(parseEnv({ ...base, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(parseEnv({ ...base, HOST: '::' }).host).toBe('::');
    expect(parseEnv({ ...base, HOST: 'localhost' }).host).toBe('localhost');
    expect(problems({ ...base, HOST: 'http://0.0.0.0' })).toEqual([
      expect.stringMatching(/^HOST must be an IP address or a host name/),
    ]);
  });

  it('trusts no proxy by default; TRUST_PROXY takes a hop count or addresses and CIDRs', () => {
    expect(parseEnv(base).trustProxy).toBe(false);
    expect(parseEnv({ ...base, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseEnv({ ...base, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      parseEnv({ ...base, TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8, loopback' })
        .trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['true', 'proxy.example.com', '10.0.0.0/33', '1.2.3', '-1', '::1/129']) {
      expect(problems({ ...base, TRUST_PROXY: bad })).toEqual([
        expect.stringMatching(/^TRUST_PROXY must be/),
      ]);
    }
  });

  it('caps answers per link per client address at 5 unless configured', () => {
    expect(parseEnv(base).answers.perLinkPerAddress).toBe(5);
    expect(
      parseEnv({ ...base, ANSWERS_PER_LINK_PER_ADDRESS: '200' }).answers.perLinkPerAddress,
    ).toBe(200);
    expect(problems({ ...base, ANSWERS_PER_LINK_PER_ADDRESS: '0' })).toEqual([
      expect.stringMatching(/^ANSWERS_PER_LINK_PER_ADDRESS must be an integer/),
    ]);
  });

  it('keeps data forever unless DATA_RETENTION_DAYS is a positive whole number', () => {
    expect(parseEnv(base).privacy.retentionDays).toBeNull();
    expect(parseEnv({ ...base, DATA_RETENTION_DAYS: '365' }).privacy.retentionDays).toBe(365);
    for (const bad of ['0', '-3', '1.5', 'forever', '30d']) {
      expect(problems({ ...base, DATA_RETENTION_DAYS: bad })).toEqual([
        expect.stringMatching(/^DATA_RETENTION_DAYS must be an integer from 1 to 36500/),
      ]);
    }
  });

  it('serves metrics on a port of their own only when METRICS_PORT is a port other than PORT', () => {
    expect(parseEnv(base).metricsPort).toBeNull();
    expect(parseEnv({ ...base, METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(parseEnv({ ...base, PORT: '0', METRICS_PORT: '0' }).metricsPort).toBe(0);
    for (const bad of ['-1', '65536', 'metrics', '94.64']) {
      expect(problems({ ...base, METRICS_PORT: bad })).toEqual([
        expect.stringMatching(/^METRICS_PORT must be an integer from 0 to 65535/),
      ]);
    }
    expect(problems({ ...base, PORT: '3000', METRICS_PORT: '3000' })).toEqual([
      'METRICS_PORT must differ from PORT (both are 3000)',
    ]);
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
