/**
 * Counting the database commands an app sends, with the driver's command monitoring
 * ('commandStarted' events), for tests and benchmarks (bench/lib/app-commands.ts).
 */
import type { mongo } from 'mongoose';

/** A MongoDB URI with the driver's command monitoring on (`monitorCommands=true`). */
export function withCommandMonitoring(uri: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

export interface CommandCounter {
  /** Commands started since counting began. */
  total(): number;
  /** The same, by command name (`update`, `find`, `insert`, ...). */
  byName(): Record<string, number>;
  stop(): void;
}

/** Counts the commands the clients start; they must have been created with monitoring on. */
export function countCommands(clients: mongo.MongoClient[]): CommandCounter {
  const counts = new Map<string, number>();
  const listener = (event: mongo.CommandStartedEvent) =>
    counts.set(event.commandName, (counts.get(event.commandName) ?? 0) + 1);
  for (const client of clients) {
    if (!client.options.monitorCommands) {
      throw new Error('command monitoring is off: connect with withCommandMonitoring(uri)');
    }
    client.on('commandStarted', listener);
  }
  return {
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    byName: () => Object.fromEntries(counts),
    stop: () => clients.forEach((client) => client.off('commandStarted', listener)),
  };
}
