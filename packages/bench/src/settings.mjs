// Sizes of every benchmark in one place, so quick and full runs differ only here.
// BENCH_QUICK=1 shrinks counts so a run fits in a couple of minutes on a shared 2-core machine;
// connection counts stay <= 1000 per scenario so one machine's file descriptors suffice.

const quick = process.env.BENCH_QUICK === '1';

export const settings = {
  quick,
  /** A B A B rounds; the reported ratio is the median of the per-round ratios. */
  rounds: quick ? 2 : 3,
  parsers: {
    /** CPU milliseconds each side spends per measured batch of one case. */
    batchCpuMs: quick ? 40 : 60,
    /**
     * Parser batches are cheap, so they alternate more often than the server rounds: many short
     * A B pairs make the median robust against a colleague's burst of CPU use.
     */
    rounds: quick ? 5 : 9,
    /** Unmeasured batches before the first measured one, so both sides are JIT-compiled. */
    warmupBatches: 3,
  },
  /** Separate processes sharing the client connections of one scenario. */
  loadGenerators: 2,
  /** Handshakes in flight per load generator while connecting. */
  connectConcurrency: 25,
  /** One server, one set of WebSocket clients, several kinds of broadcast in turn. */
  fanOut: {
    clients: quick ? 300 : 1000,
    broadcasts: quick ? 60 : 100,
    burstTurns: quick ? 10 : 20,
    burstPerTurn: 10,
    roomBroadcasts: quick ? 60 : 100,
    binaryBroadcasts: quick ? 20 : 50,
    emptyRoomEmits: quick ? 20_000 : 100_000,
    emptyRoomPerTurn: 100,
  },
  ack: {
    clients: 100,
    acksPerClient: quick ? 100 : 300,
  },
  /** The client suite: one process of client sockets against one official socket.io server. */
  client: {
    sockets: quick ? 100 : 200,
    /**
     * About 20-25k acknowledged emits per interval: the quick A/A check moved by up to 17% at 10k
     * (1.00x-1.04x at 20k), and the full suite took 6.4 min at 60k (load average 16).
     */
    acksPerSocket: quick ? 200 : 120,
    /** Sockets that connect, emit and leave before anything is measured. */
    warmUpSockets: 20,
    /** Unmeasured acknowledged emits per socket before each measured loop. */
    warmUpAcks: 20,
  },
  idleWebsocket: { clients: quick ? 300 : 1000 },
  idlePolling: { clients: quick ? 200 : 500 },
  pollingUpgrade: { clients: quick ? 150 : 400 },
  /** BENCH_SCENARIO=<text>: run only the server scenarios whose name contains it. */
  scenarioFilter: process.env.BENCH_SCENARIO ?? '',
  /**
   * BENCH_PROFILE=<directory>: every server process runs with --cpu-prof and writes its profile
   * there (named after the module, scenario and round), to find where the CPU goes.
   */
  profileDirectory: process.env.BENCH_PROFILE ?? '',
  /** Upper bound on any single wait for the system under test. */
  stepTimeoutMs: 60_000,
};
