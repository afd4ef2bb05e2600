/**
 * The part of autocannon 8's API the benches use (the package ships no types and no @types
 * package may be added). Shapes follow node_modules/autocannon/lib (run.js, requestIterator.js).
 */
declare module 'autocannon' {
  namespace autocannon {
    /** Per-connection state; autocannon resets it before each request when `requests` has one entry. */
    type Context = Record<string, unknown>;

    interface RequestParams {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }

    interface Request extends RequestParams {
      /** Called just before each request is written: returns the request to send. */
      setupRequest?: (request: RequestParams, context: Context) => RequestParams;
      /** Called when that request's response is complete (before the next is set up). */
      onResponse?: (
        status: number,
        body: string,
        context: Context,
        headers: Record<string, string | string[]>,
      ) => void;
    }

    interface Options {
      url: string;
      connections?: number;
      pipelining?: number;
      /** Seconds; ignored when `amount` is set. */
      duration?: number;
      /** Total requests, spread over the connections; the run ends when all have answered. */
      amount?: number;
      /** Requests per second over all connections (each connection gets its share per second). */
      overallRate?: number;
      /** Seconds before a request counts as a timeout. */
      timeout?: number;
      requests?: Request[];
    }

    interface Histogram {
      average: number;
      p50: number;
      p99: number;
      max: number;
    }

    interface Result {
      errors: number;
      timeouts: number;
      non2xx: number;
      '1xx': number;
      '2xx': number;
      '3xx': number;
      '4xx': number;
      '5xx': number;
      duration: number;
      latency: Histogram;
    }

    /** A running load test: resolves with its result; `stop()` ends it early. */
    interface Instance extends PromiseLike<Result> {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
