/**
 * The deployment files, read as Docker Compose, nginx and Prometheus would read them (no Docker
 * engine here): the invariants docs/scaling.md promises. The production stack runs three
 * replicas behind nginx on a three-node replica set, every variable it gives the app is one the
 * app reads (and the whole set passes the app's own validation), only the proxy is published,
 * live streams are not buffered, and every alert reads metrics the app exports.
 */
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_DEFAULTS, parseEnv } from '../src/config/env.schema';
import { MetricsService } from '../src/metrics/metrics.service';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  ports?: string[];
  expose?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  networks?: Record<string, { internal?: boolean } | null>;
}

/** `KEY=value` lines of an env file, comments and blanks skipped. */
function envFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

function networksOf(service: Service): string[] {
  const { networks } = service;
  if (networks === undefined) return ['default'];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

const KNOWN = new Set(Object.keys(ENV_DEFAULTS));

describe('production stack (deploy/docker-compose.prod.yml)', () => {
  const compose = load(read('deploy/docker-compose.prod.yml')) as Compose;
  const { services } = compose;
  const app = services.app;
  const appEnv = app.environment ?? {};
  const secrets = envFile(read('deploy/app.env.example'));
  const mongoNodes = Object.keys(services).filter((name) => /^mongo\d$/.test(name));

  it('runs three replicas of the service, with its secrets from an env file git ignores', () => {
    expect(app.deploy?.replicas).toBe(3);
    expect(app.env_file).toBe('app.env');
    expect(read('.gitignore').split('\n')).toContain('deploy/app.env');
    // Secrets never sit in the compose file itself.
    for (const name of ['API_KEYS', 'ANSWER_TOKEN_SECRET', 'ZOOM_CLIENT_SECRET']) {
      expect(appEnv).not.toHaveProperty(name);
      expect(secrets).toHaveProperty(name);
    }
  });

  it('gives the app only variables it reads, and a set its own validation accepts', () => {
    const unknown = [...Object.keys(appEnv), ...Object.keys(secrets)].filter((k) => !KNOWN.has(k));
    expect(unknown).toEqual([]);
    const config = parseEnv({ ...secrets, ...appEnv });
    expect(config.isProduction).toBe(true);
    expect(config.metricsPort).toBe(9464);
  });

  it('believes X-Forwarded-For from the proxy alone', () => {
    const proxyNetworks = services.proxy.networks as Record<string, { ipv4_address?: string }>;
    const proxyAddress = proxyNetworks.edge.ipv4_address;
    expect(proxyAddress).toBeDefined();
    expect(parseEnv({ ...secrets, ...appEnv }).trustProxy).toEqual([proxyAddress]);
    expect(networksOf(app)).toContain('edge');
  });

  it('connects to a three-node replica set that an init job initiates', () => {
    expect(mongoNodes).toHaveLength(3);
    const uri = new URL(appEnv.MONGO_URI.replace(/^mongodb:\/\/[^/]+/, 'mongodb://hosts'));
    const hosts = /^mongodb:\/\/([^/]+)\//.exec(appEnv.MONGO_URI)?.[1].split(',') ?? [];
    expect(hosts.sort()).toEqual(mongoNodes.map((node) => `${node}:27017`).sort());
    const replicaSet = uri.searchParams.get('replicaSet');
    expect(replicaSet).toBe('rs0');
    for (const node of mongoNodes) {
      expect(services[node].command).toEqual(
        expect.arrayContaining(['--replSet', replicaSet as string]),
      );
      expect(networksOf(services[node])).toEqual(['data']);
      expect(services[node].ports).toBeUndefined();
    }
    const init = services['mongo-init'];
    expect(init.command?.join(' ')).toContain('/mongo-init.js');
    for (const node of mongoNodes) {
      expect(init.depends_on?.[node]?.condition).toBe('service_healthy');
    }
    expect(app.depends_on?.['mongo-init']?.condition).toBe('service_completed_successfully');
    const script = read('deploy/mongo-init.js');
    expect(script).toContain('rs.initiate(');
    expect(script).toContain(`_id: '${replicaSet}'`);
    for (const node of mongoNodes) expect(script).toContain(`host: '${node}:27017'`);
  });

  it('health-checks every long-running service; the app on /health', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'mongo-init') continue;
      expect([name, (service.healthcheck?.test.length ?? 0) > 1]).toEqual([name, true]);
    }
    expect(app.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${appEnv.PORT}/health`);
    expect(services.proxy.depends_on?.app?.condition).toBe('service_healthy');
  });

  it('publishes only the proxy (and Prometheus on loopback); METRICS_PORT stays internal', () => {
    const published = Object.entries(services)
      .filter(([, service]) => service.ports !== undefined)
      .map(([name, service]) => [name, service.ports]);
    expect(published).toEqual([
      ['proxy', ['${HTTP_PORT:-80}:80']],
      ['prometheus', ['127.0.0.1:9090:9090']],
    ]);
    expect(compose.networks?.metrics?.internal).toBe(true);
    expect(compose.networks?.data?.internal).toBe(true);
    expect(networksOf(services.prometheus)).toContain('metrics');
    expect(networksOf(services.proxy)).not.toContain('metrics');
    const prometheus = load(read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const target = prometheus.scrape_configs[0].dns_sd_configs[0];
    expect(target).toMatchObject({ names: ['app'], port: Number(appEnv.METRICS_PORT) });
  });

  it('nginx forwards the client address, does not buffer live streams, and hides /metrics', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/server app:3000\b/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    const stream = /location ~ \/stream\$ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(stream).toContain('proxy_buffering off;');
    expect(stream).toContain('proxy_pass http://app;');
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
    expect(nginx).toContain('location = /nginx-health');
  });

  it('alerts only on metrics the app exports', async () => {
    const exported = new Set<string>();
    for (const match of (await new MetricsService().render()).matchAll(/^# TYPE (\S+) (\S+)/gm)) {
      const [, name, type] = match;
      exported.add(name);
      if (type === 'histogram')
        for (const s of ['_bucket', '_count', '_sum']) exported.add(name + s);
    }
    const alerts = load(read('deploy/prometheus/alerts.yml')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const rules = alerts.groups.flatMap((group) => group.rules);
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      const used = [...rule.expr.matchAll(/\bzlq_\w+/g)].map((m) => m[0]);
      expect({ alert: rule.alert, missing: used.filter((name) => !exported.has(name)) }).toEqual({
        alert: rule.alert,
        missing: [],
      });
    }
  });
});

describe('single-instance stack (docker-compose.yml)', () => {
  it('gives the app only variables it reads', () => {
    const compose = load(read('docker-compose.yml')) as Compose;
    const unknown = Object.keys(compose.services.app.environment ?? {}).filter(
      (name) => !KNOWN.has(name),
    );
    expect(unknown).toEqual([]);
  });
});
