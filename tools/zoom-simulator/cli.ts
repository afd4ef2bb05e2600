/**
 * Standalone Zoom simulator for development mode and benchmarks:
 *   npm run zoom:sim -- [--port 4010] [--webhook-target URL] [--user EMAIL ...] [--seed N]
 *                       [--light N] [--medium N] [--heavy N] [--latency-ms N] [--token-ttl N]
 * PORT in the environment is used when --port is not given; 0 picks a free port.
 */
import { parseArgs } from 'node:util';
import { startZoomSimulator } from './simulator';
import type { RateLimits } from './types';

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'webhook-target': { type: 'string' },
      user: { type: 'string', multiple: true },
      seed: { type: 'string' },
      light: { type: 'string' },
      medium: { type: 'string' },
      heavy: { type: 'string' },
      'latency-ms': { type: 'string' },
      'token-ttl': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'zoom-simulator [--port N] [--webhook-target URL] [--user EMAIL]... [--seed N]\n' +
        '               [--light N] [--medium N] [--heavy N] [--latency-ms N] [--token-ttl N]\n' +
        'Control API and details: tools/zoom-simulator/README.md\n',
    );
    return;
  }
  const anyRate = values.light ?? values.medium ?? values.heavy;
  // Given any rate flag, the table is exactly what was given (others unlimited); else Pro limits.
  const rateLimits: RateLimits | undefined =
    anyRate === undefined
      ? undefined
      : {
          light: num(values.light, 'light'),
          medium: num(values.medium, 'medium'),
          heavy: num(values.heavy, 'heavy'),
        };
  const sim = await startZoomSimulator({
    port: num(values.port ?? process.env.PORT, 'port') ?? 0,
    seed: num(values.seed, 'seed'),
    rateLimits,
    latencyMs: num(values['latency-ms'], 'latency-ms'),
    tokenTtlSeconds: num(values['token-ttl'], 'token-ttl'),
  });
  for (const email of values.user ?? []) sim.addUser({ email });
  if (values['webhook-target']) sim.setWebhookTarget(values['webhook-target']);

  const lines = [
    `Zoom simulator listening on ${sim.url}  (NOT Zoom)`,
    '',
    '# Point the app at it:',
    `ZOOM_API_BASE_URL=${sim.apiBaseUrl}`,
    `ZOOM_OAUTH_URL=${sim.oauthUrl}`,
    `ZOOM_ACCOUNT_ID=${sim.accountId}`,
    `ZOOM_CLIENT_ID=${sim.clientId}`,
    `ZOOM_CLIENT_SECRET=${sim.clientSecret}`,
    `ZOOM_WEBHOOK_SECRET_TOKEN=${sim.webhookSecretToken}`,
    '',
    `Control API: ${sim.url}/_sim  (see tools/zoom-simulator/README.md)`,
    `Webhook target: ${values['webhook-target'] ?? 'none (POST /_sim/webhooks/target to set one)'}`,
    `Account users: ${
      sim
        .users()
        .map((u) => u.email)
        .join(', ') || 'none (POST /_sim/users)'
    }`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`zoom-simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
