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

/**
 * Counts the commands the clients start; they must have been created with monitoring on.
 * `collections`: only commands on these collections (a command names its collection as the
 * value of its first field), so the app's background work (the sender's poll, the runs
 * worker's sweep) does not count against the path a test measures.
 */
export function countCommands(
  clients: mongo.MongoClient[],
  options: { collections?: readonly string[] } = {},
): CommandCounter {
  const counts = new Map<string, number>();
  const only = options.collections ? new Set(options.collections) : null;
  const listener = (event: mongo.CommandStartedEvent) => {
    const target: unknown = (event.command as Record<string, unknown>)[event.commandName];
    if (only && !(typeof target === 'string' && only.has(target))) return;
    counts.set(event.commandName, (counts.get(event.commandName) ?? 0) + 1);
  };
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
