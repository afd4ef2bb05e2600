// MongoDB wire-protocol server for development and tests.
//
// Why this exists: no package registry we can use ships a real MongoDB server
// binary, so dev and the Jest suites talk to bwaldvogel's mongo-java-server
// (fetched from Maven Central by pom.xml next to this file) instead. It speaks
// the real wire protocol, so the app uses the ordinary mongodb driver/Mongoose;
// tools/mongo-server/README.md lists which features were verified against it.
//
// It is run with the JDK's single-file source launcher so there is no build
// step to keep in sync:
//
//   java -cp "tools/mongo-server/target/lib/*" tools/mongo-server/MongoServer.java \
//        --port 27017 [--data-file .data/dev.mv] [--parent-pid N]
//
//   --port N          TCP port on 127.0.0.1; 0 picks a free port.
//   --data-file path  H2 MVStore file, so data survives restarts (dev). Without
//                     it everything lives in memory and is gone on exit (tests).
//   --parent-pid N    exit when that process is gone (orphan protection).
//
// Protocol with whoever started us: exactly one line "LISTENING <port>" on
// stdout once the socket accepts connections (the real port when --port 0);
// errors go to stderr with a non-zero exit code. We shut down cleanly (H2
// store flushed and closed) on SIGTERM/SIGINT and when stdin reaches EOF,
// i.e. when the parent that holds our stdin pipe dies, however it dies.

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

public class MongoServer {
    public static void main(String[] args) throws Exception {
        Integer port = null;
        String dataFile = null;
        Long parentPid = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + arg);
            }
            switch (arg) {
                case "--port" -> port = parseInt(args[++i], arg);
                case "--data-file" -> dataFile = args[++i];
                case "--parent-pid" -> parentPid = (long) parseInt(args[++i], arg);
                default -> usage("unknown argument " + arg);
            }
        }
        if (port == null || port < 0 || port > 65535) {
            usage("--port N (0-65535) is required");
        }

        try {
            run(port, dataFile, parentPid);
        } catch (Throwable e) {
            // Explicit exit: once bind() has started Netty's non-daemon event loops, an exception
            // escaping main (e.g. "Address already in use") would leave a JVM that never exits.
            System.err.println("MongoServer: failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(int port, String dataFile, Long parentPid) throws Exception {
        MongoBackend backend;
        if (dataFile != null) {
            Path file = Path.of(dataFile).toAbsolutePath();
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            backend = new H2Backend(file.toString());
        } else {
            backend = new MemoryBackend();
        }
        // MONGO_5_0 reports maxWireVersion 8, which is exactly the minimum the
        // Node driver 6.x (Mongoose 8) accepts. It is the library's default
        // today; pinned so a library upgrade cannot silently change it.
        backend.version(ServerVersion.MONGO_5_0);

        de.bwaldvogel.mongo.MongoServer server = new de.bwaldvogel.mongo.MongoServer(backend);
        server.bind("127.0.0.1", port);
        int actualPort = server.getLocalAddress().getPort();

        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT run shutdown hooks; the hook closes the backend so the
        // H2 file is consistent. The latch lets a stdin/parent-triggered stop
        // and the hook share one shutdown path without running it twice.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, stopped), "mongo-shutdown"));

        watchStdin(stopped);
        if (parentPid != null) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0)); // parent already gone
        }

        System.out.println("LISTENING " + actualPort);
        System.out.flush();

        // Netty's event loops are non-daemon threads and keep the JVM alive;
        // main just waits for a stop request to turn into an orderly exit.
        stopped.await();
        System.exit(0);
    }

    private static synchronized void stop(de.bwaldvogel.mongo.MongoServer server, CountDownLatch stopped) {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            server.shutdown(); // closes the backend too (flushes the H2 store)
        } finally {
            stopped.countDown();
        }
    }

    // EOF on stdin means the parent closed our pipe or died. When stdin is
    // /dev/null (e.g. `java ... &` from a script) there is nothing to watch
    // and reading would return EOF at once, so we skip it and rely on signals.
    private static void watchStdin(CountDownLatch stopped) {
        try {
            if (Files.isSameFile(Path.of("/proc/self/fd/0"), Path.of("/dev/null"))) {
                return;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux or no /proc: fall through and watch stdin
        }
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // ignore input; we only care about EOF
                }
            } catch (IOException e) {
                // a broken stdin counts as the parent going away
            }
            System.exit(0); // runs the shutdown hook
        }, "stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static int parseInt(String value, String arg) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage(arg + " expects a number, got " + value);
            return -1; // unreachable
        }
    }

    private static void usage(String problem) {
        System.err.println("MongoServer: " + problem);
        System.err.println("usage: java -cp \"tools/mongo-server/target/lib/*\" tools/mongo-server/MongoServer.java"
                + " --port N [--data-file path/to/db.mv] [--parent-pid N]");
        System.exit(2);
    }
}
