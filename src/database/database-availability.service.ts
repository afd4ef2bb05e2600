import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';

/** Server types through which this service reads and writes (it always uses the primary). */
const USABLE_SERVER_TYPES = new Set(['Standalone', 'RSPrimary', 'Mongos', 'LoadBalancer']);
/**
 * While the database is down nothing may be asking the driver for a server (routes answer 503
 * before they touch it, the sender claims nothing), and an Unknown server is then only re-checked
 * every heartbeatFrequencyMS. A ping this often makes the driver look again, so recovery is
 * noticed within about a second.
 */
const PROBE_INTERVAL_MS = 1000;

/**
 * Whether the database can be reached right now, from the driver's own view of the topology
 * (server monitoring, and every failed operation, update it). Routes answer 503 at once while it
 * is down instead of waiting for a server selection timeout, the sender claims nothing, and the
 * log gets one line when an outage starts and one when it ends.
 */
@Injectable()
export class DatabaseAvailability implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private up = true;
  private downSince = 0;
  private probe?: NodeJS.Timeout;
  private probing = false;

  constructor(@InjectConnection() private readonly connection: Connection) {}

  get available(): boolean {
    return this.up;
  }

  onModuleInit(): void {
    this.connection
      .getClient()
      .on('topologyDescriptionChanged', (event: mongo.TopologyDescriptionChangedEvent) => {
        this.update(isUsable(event.newDescription), firstError(event.newDescription));
      });
  }

  onApplicationShutdown(): void {
    clearInterval(this.probe);
  }

  private update(usable: boolean, reason: string | undefined): void {
    if (usable === this.up) return;
    this.up = usable;
    if (!usable) {
      this.downSince = Date.now();
      this.logger.warn(
        `Database unreachable (${reason ?? 'no usable server'}); answering 503 until it is back`,
      );
      this.probe = setInterval(() => void this.ping(), PROBE_INTERVAL_MS);
      this.probe.unref();
    } else {
      clearInterval(this.probe);
      const seconds = ((Date.now() - this.downSince) / 1000).toFixed(1);
      this.logger.log(`Database reachable again after ${seconds} s`);
    }
  }

  private async ping(): Promise<void> {
    const db = this.connection.db;
    if (this.probing || db === undefined) return;
    this.probing = true;
    try {
      await db.admin().ping();
    } catch {
      // Still down: the topology event that ends the outage does the logging.
    } finally {
      this.probing = false;
    }
  }
}

function isUsable(description: mongo.TopologyDescription): boolean {
  if (description.type === 'LoadBalanced') return true;
  for (const server of description.servers.values()) {
    if (USABLE_SERVER_TYPES.has(server.type)) return true;
  }
  return false;
}

function firstError(description: mongo.TopologyDescription): string | undefined {
  for (const server of description.servers.values()) {
    if (server.error) return server.error.message;
  }
  return undefined;
}
