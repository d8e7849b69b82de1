import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Run for this long... */
  durationSeconds?: number;
  /** ...or send exactly this many requests (used where each request consumes prepared state). */
  amount?: number;
  method?: "POST" | "GET";
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request; returns the body to send (e.g. a fresh session id each time). */
  nextBody?: () => string;
}

export interface LoadResult {
  /**
   * Answers the scenario expects (2xx) per second: refusals, errors and timeouts are not averaged
   * into a rate. A run with any of them is `flagged` in the table.
   */
  requestsPerSecond: number;
  /** Every answer per second, expected or not, as autocannon counts them. */
  allPerSecond: number;
  flagged: boolean;
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** One autocannon run, reduced to the figures the results table shows. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const { nextBody } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
    method: options.method ?? "POST",
    headers: { "content-type": "application/json", ...options.headers },
    ...(nextBody
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }] }
      : { body: options.body }),
  } as autocannon.Options);
  const ok = result["2xx"];
  const unexpected = result.non2xx + result.errors + result.timeouts;
  return {
    requestsPerSecond: result.duration > 0 ? ok / result.duration : Number.NaN,
    allPerSecond: result.requests.average,
    flagged: unexpected > 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}
