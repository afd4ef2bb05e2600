import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ConnectionStates, type Connection } from 'mongoose';
import { SERVICE_NAME, SERVICE_VERSION } from '../common/http/service-info';
import { HealthDto, ServiceInfoDto } from './health.dto';

const PING_TIMEOUT_MS = 1500;

@Injectable()
export class HealthService {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  info(): ServiceInfoDto {
    return { name: SERVICE_NAME, version: SERVICE_VERSION, docs: '/docs', openapi: '/docs-json' };
  }

  /** A real round trip to the database, bounded so a hung server cannot hang the probe. */
  async check(): Promise<HealthDto> {
    const db = this.connection.db;
    if (this.connection.readyState !== ConnectionStates.connected || db === undefined)
      return { status: 'error', database: 'down' };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.admin().ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS);
        }),
      ]);
      return { status: 'ok', database: 'up' };
    } catch {
      return { status: 'error', database: 'down' };
    } finally {
      clearTimeout(timer);
    }
  }
}
