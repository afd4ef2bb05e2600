/**
 * Preloaded into the compiled app by bench/webhook-ingest.ts (`node -r`): counts the database
 * commands the app's connections start, with the driver's command monitoring (MONGO_URI must
 * carry monitorCommands=true, see withCommandMonitoring), and answers the count as JSON at
 * http://127.0.0.1:$BENCH_COMMANDS_PORT/. Counting starts at the first request (after boot, so
 * index builds are not counted). Nothing in the app knows of it.
 */
import mongoose from 'mongoose';
import { createServer } from 'node:http';
import { CommandCounter, countCommands } from '../../test/utils/command-monitor';

let counter: CommandCounter | null = null;

const server = createServer((_request, response) => {
  counter ??= countCommands(
    mongoose.connections
      .filter((c) => c.readyState === mongoose.ConnectionStates.connected)
      .map((c) => c.getClient()),
  );
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ total: counter.total(), byName: counter.byName() }));
});
server.listen(Number(process.env.BENCH_COMMANDS_PORT), '127.0.0.1');
// Never what keeps the app alive at shutdown.
server.unref();
